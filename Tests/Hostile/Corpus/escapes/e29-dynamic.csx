// dynamic binding (reaches members the compile-time check never saw).
// Must: refused at compile time (400 naming the API or the rule).
dynamic d = Request;
return Exit(200, (string)d.Method);
