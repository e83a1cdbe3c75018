// An exception message of 50,000 lines, each forging a log line.
// Must: accepted; 500 + 50000001; the message is truncated, so the log grows by far less than the 3 MB message.
throw new Exception(string.Concat(Enumerable.Repeat("\n[00:00:00 ERR] forged line from a script", 50_000)));
