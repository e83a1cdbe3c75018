// Parallel.For over int.MaxValue items: every core, no budget.
// Must: refused at compile time (400 naming the API or the rule).
Parallel.For(0, int.MaxValue, _ => { });
return Exit(200, "done");
