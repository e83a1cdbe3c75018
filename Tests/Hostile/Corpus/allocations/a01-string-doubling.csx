// s += s 29 times: 1 GiB of chars (issue 11, point 4: RSS 107 MB to 2.1 GB, which stayed).
// Must: accepted; 500 + 50000002 (allocation budget, 64 MiB by default) and the gateway's peak memory stays bounded.
var s = "x";
for (int i = 0; i < 29; i++) s += s;
return Exit(200, s.Length.ToString());
