// Creates an AssemblyLoadContext of its own.
// Must: refused at compile time (400 naming the API or the rule).
var c = new System.Runtime.Loader.AssemblyLoadContext("hostile", true);
return Exit(200, c.Name!);
