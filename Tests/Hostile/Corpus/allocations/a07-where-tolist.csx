// Range(0, int.MaxValue).Where(i => i >= 0).ToList(): the library grows the list (unknown size); the lambda is the instrumented point.
// Must: accepted; 500 + 50000002 (allocation budget, 64 MiB by default) and the gateway's peak memory stays bounded.
return Exit(200, Enumerable.Range(0, int.MaxValue).Where(i => i >= 0).ToList().Count.ToString());
