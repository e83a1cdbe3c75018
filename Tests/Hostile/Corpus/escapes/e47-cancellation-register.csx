// CancellationToken.Register: a callback that runs later on another thread, outside the budget.
// Must: refused at compile time (400 naming the API or the rule).
var token = new System.Threading.CancellationTokenSource(1).Token;
token.Register(() => { while (true) { } });
return Exit(200, "registered");
