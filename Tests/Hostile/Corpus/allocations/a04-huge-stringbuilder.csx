// A StringBuilder grown by 1 MiB a turn for ever.
// Must: accepted; 500 + 50000002 (allocation budget, 64 MiB by default) and the gateway's peak memory stays bounded.
var sb = new StringBuilder();
while (true) sb.Append('x', 1 << 20);
