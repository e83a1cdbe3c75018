// A loop of cheap string calls: each turn is short, the sum is not.
// Must: accepted; the request answers 500 with X-Error-Code 50000002 (budget) within the client's timeout.
var s = "";
while (true) { s = string.Concat(s.AsSpan(0, Math.Min(s.Length, 8)), "x"); }
