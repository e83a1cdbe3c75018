// A timer firing every millisecond for ever, outliving the request.
// Must: refused at compile time (400 naming the API or the rule).
var t = new System.Threading.Timer(_ => { }, null, 0, 1);
return Exit(200, "ticking");
