// 300,000 Lazy<int> values each reading the previous one: the first Value recurses 300,000 levels through library code.
// Must: the process stays alive and other hosts serve; the request answers (200 or 500 with 50000001/50000002) within the client's timeout.
var lazy = new Lazy<int>(() => 0);
for (int i = 0; i < 300000; i++) { var prev = lazy; lazy = new Lazy<int>(() => prev.Value + 1); }
return Exit(200, lazy.Value.ToString());
