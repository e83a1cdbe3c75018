// Compiles an expression tree: code generated at run time, never instrumented.
// Must: refused at compile time (400 naming the API or the rule).
System.Linq.Expressions.Expression<Func<int>> e = () => 1;
return Exit(200, e.Compile()().ToString());
