// throw new Exception(new string('x', 20_000_000)) three times: 20 MB of log per request (issue 11, point 6).
// Must: accepted; 500 + 50000001 each time; the exception message is truncated (4 KiB) so the log grows by far less than 60 MB.
throw new Exception(new string('x', 20_000_000));
