// Loads an assembly by name (and from it, anything).
// Must: refused at compile time (400 naming the API or the rule).
var a = System.Reflection.Assembly.Load("System.Private.CoreLib");
return Exit(200, a.FullName!);
