// A local iterator function that never ends, drained by a library call (Count).
// Must: accepted; the request answers 500 with X-Error-Code 50000002 (budget) within the client's timeout.
IEnumerable<int> Forever() { while (true) yield return 1; }
return Exit(200, Forever().Count().ToString());
