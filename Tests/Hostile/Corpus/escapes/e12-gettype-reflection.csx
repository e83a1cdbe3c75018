// Reflection through GetType(): lists the request object's methods (and could invoke private ones).
// Must: refused at compile time (400 naming the API or the rule).
var methods = Request.GetType().GetMethods();
return Exit(200, methods.Length.ToString());
