// Enumerable.Repeat(1L, int.MaxValue).Sum(): a library loop with no instrumented point inside (issue 11, point 4: 8 s).
// Must: accepted; the watchdog answers 500 + 50000002 at the deadline although the library call runs on.
return Exit(200, Enumerable.Repeat(1L, int.MaxValue).Sum().ToString());
