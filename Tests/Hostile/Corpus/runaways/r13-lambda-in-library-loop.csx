// Range(0, int.MaxValue).Count(predicate): the library loops, the script's lambda is the only instrumented point.
// Must: accepted; the request answers 500 with X-Error-Code 50000002 (budget) within the client's timeout.
return Exit(200, Enumerable.Range(0, int.MaxValue).Count(x => x >= 0).ToString());
