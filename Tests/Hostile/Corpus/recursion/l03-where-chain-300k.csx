// A chain of 300,000 Where calls (LINQ combines their predicates into one deep delegate chain).
// Must: the process stays alive and other hosts serve; the request answers (200 or 500 with 50000001/50000002) within the client's timeout.
IEnumerable<int> e = new[] { 1 };
for (int i = 0; i < 300000; i++) e = e.Where(x => x > 0);
return Exit(200, e.Count().ToString());
