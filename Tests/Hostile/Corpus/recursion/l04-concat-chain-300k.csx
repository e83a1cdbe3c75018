// A chain of 300,000 Concat calls.
// Must: the process stays alive and other hosts serve; the request answers (200 or 500 with 50000001/50000002) within the client's timeout.
IEnumerable<int> e = new[] { 1 };
for (int i = 0; i < 300000; i++) e = e.Concat(new[] { i });
return Exit(200, e.Count().ToString());
