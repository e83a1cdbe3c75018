// Ends the gateway with Environment.FailFast (no cleanup, a crash dump).
// Must: refused at compile time (400 naming the API or the rule).
Environment.FailFast("bye");
