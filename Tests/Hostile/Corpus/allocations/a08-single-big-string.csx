// One 400 MB string in a single library call (new string('x', 200M)): no instrumented point between the allocation and the exit.
// Must: the process lives; this is a documented non-promise: one allocation can exceed the budget before the next check (200 or 500).
var s = new string('x', 200_000_000);
return Exit(200, s.Length.ToString());
