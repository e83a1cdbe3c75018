// Activator.CreateInstance of a type named by string.
// Must: refused at compile time (400 naming the API or the rule).
var o = Activator.CreateInstance(typeof(object));
return Exit(200, o!.ToString());
