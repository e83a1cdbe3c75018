// An async loop that yields between turns, so it never blocks a thread but never ends.
// Must: accepted; the request answers 500 with X-Error-Code 50000002 (budget) within the client's timeout.
while (true) { await Task.Yield(); }
