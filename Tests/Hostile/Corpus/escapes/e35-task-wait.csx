// Blocks the request's thread with Task.Wait.
// Must: refused at compile time (400 naming the API or the rule).
Task.Delay(100000).Wait();
return Exit(200, "waited");
