// Ends the gateway with Environment.Exit.
// Must: refused at compile time (400 naming the API or the rule).
Environment.Exit(3);
