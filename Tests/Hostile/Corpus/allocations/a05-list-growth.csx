// A List<long> grown one item a turn for ever (doubling reallocations).
// Must: accepted; 500 + 50000002 (allocation budget, 64 MiB by default) and the gateway's peak memory stays bounded.
var list = new List<long>();
while (true) list.Add(1);
