// 1,000 strings of 1 MiB kept in a list (issue 11, point 4: 2 GB).
// Must: accepted; 500 + 50000002 (allocation budget, 64 MiB by default) and the gateway's peak memory stays bounded.
var list = new List<string>();
for (int i = 0; i < 1000; i++) list.Add(new string((char)('a' + i % 26), 1 << 20));
return Exit(200, list.Count.ToString());
