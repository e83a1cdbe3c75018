// An exception message of 50,000 lines, each forging a log line.
// Must: accepted; 500 + 50000001 (or 50000002 when building the 2 MB message alone outlasts the 50 ms
// budget on a busy machine); the message is truncated, so the log grows by far less than the 3 MB message.
throw new Exception(string.Concat(Enumerable.Repeat("\n[00:00:00 ERR] forged line from a script", 50_000)));
