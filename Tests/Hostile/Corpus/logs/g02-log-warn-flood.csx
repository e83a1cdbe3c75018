// Log.Warn of 1 MiB, 200 times in one request (issue 11, point 6: 200 MB of log).
// Must: accepted; lines are truncated to 4 KiB and rate-limited, so the log grows by well under 2 MB; dropped lines are counted in /scripts (log_dropped) and /metrics.
var line = new string('w', 1 << 20);
for (int i = 0; i < 200; i++) Log.Warn(line);
return Exit(200, "logged");
