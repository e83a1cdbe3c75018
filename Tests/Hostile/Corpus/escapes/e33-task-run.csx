// Task.Run of a spinning loop: work that outlives the request and its budget.
// Must: refused at compile time (400 naming the API or the rule).
_ = Task.Run(() => { while (true) { } });
return Exit(200, "running");
