// 100 arrays of 16 MiB: each allocation is under the budget, the sum is 1.6 GB.
// Must: accepted; 500 + 50000002 (allocation budget, 64 MiB by default) and the gateway's peak memory stays bounded.
var j = new byte[100][];
for (int i = 0; i < 100; i++) j[i] = new byte[16 << 20];
return Exit(200, j.Length.ToString());
