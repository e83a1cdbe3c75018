// Reflection through typeof(...).Assembly: enumerates the gateway's types.
// Must: refused at compile time (400 naming the API or the rule).
var types = typeof(Peer).Assembly.GetTypes();
return Exit(200, types.Length.ToString());
