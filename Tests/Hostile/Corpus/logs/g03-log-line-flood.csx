// 100,000 short Log.Error lines in one request.
// Must: accepted; the per-script rate limit (100/s, burst 200) drops most, so the log grows by well under 1 MB.
for (int i = 0; i < 100_000; i++) Log.Error("flood line " + i);
return Exit(200, "flooded");
