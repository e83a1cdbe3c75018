// The issue's chain: 300,000 nested Except iterators built by Aggregate; First() recurses 300,000 levels inside LINQ (issue 11, point 3: the process died).
// Must: the process stays alive and other hosts serve; the request answers (200 or 500 with 50000001/50000002) within the client's timeout.
var e = Enumerable.Repeat(Enumerable.Empty<int>(), 300000).Aggregate<IEnumerable<int>, IEnumerable<int>>(new[] { 1 }, Enumerable.Except<int>);
return Exit(200, e.First().ToString());
