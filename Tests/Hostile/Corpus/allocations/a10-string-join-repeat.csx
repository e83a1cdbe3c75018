// string.Join over 20 million items: allocation inside one library call, bounded but big.
// Must: the process lives; the watchdog or the budget may stop it, or it completes (200 or 500).
return Exit(200, string.Join(",", Enumerable.Repeat("abcdefgh", 20_000_000)).Length.ToString());
