// A chain of 300,000 Select calls; enumerating it recurses through 300,000 iterators or combined selectors.
// Must: the process stays alive and other hosts serve; the request answers (200 or 500 with 50000001/50000002) within the client's timeout.
IEnumerable<int> e = new[] { 1 };
for (int i = 0; i < 300000; i++) e = e.Select(x => x + 1);
return Exit(200, e.First().ToString());
