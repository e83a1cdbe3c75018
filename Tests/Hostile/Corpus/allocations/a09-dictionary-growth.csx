// A Dictionary<int, string> grown for ever.
// Must: accepted; 500 + 50000002 (allocation budget, 64 MiB by default) and the gateway's peak memory stays bounded.
var d = new Dictionary<int, string>();
for (int i = 0; ; i++) d[i] = "v";
