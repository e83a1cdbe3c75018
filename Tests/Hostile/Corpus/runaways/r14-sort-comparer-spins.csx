// Array.Sort with a comparer that spins: the runaway is inside a callback from library code.
// Must: accepted; the request answers 500 with X-Error-Code 50000002 (budget) within the client's timeout.
var a = new int[1000];
Array.Sort(a, (x, y) => { while (true) { } });
return Exit(200, "sorted");
