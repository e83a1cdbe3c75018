// Blocks with GetAwaiter().GetResult().
// Must: refused at compile time (400 naming the API or the rule).
Task.Delay(100000).GetAwaiter().GetResult();
return Exit(200, "waited");
