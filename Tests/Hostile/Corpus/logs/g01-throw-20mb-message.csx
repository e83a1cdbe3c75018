// throw new Exception(new string('x', 20_000_000)) three times: 20 MB of log per request (issue 11, point 6).
// Must: accepted; 500 + 50000001 each time (or 50000002 when building the 40 MB string alone outlasts
// the 50 ms budget on a busy machine); the exception message is truncated (4 KiB) so the log grows by far less than 60 MB.
throw new Exception(new string('x', 20_000_000));
