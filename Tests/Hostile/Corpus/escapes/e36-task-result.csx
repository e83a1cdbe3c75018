// Blocks with Task.Result.
// Must: refused at compile time (400 naming the API or the rule).
var x = Task.Delay(100000).ContinueWith(_ => 1).Result;
return Exit(200, x.ToString());
