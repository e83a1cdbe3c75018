// RuntimeHelpers: run a class constructor, probe the stack, get uninitialized objects.
// Must: refused at compile time (400 naming the API or the rule).
System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
return Exit(200, "probed");
