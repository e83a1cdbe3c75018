// Two lambdas calling each other for ever.
// Must: accepted; the request answers 500 with X-Error-Code 50000002 (budget) within the client's timeout.
Func<int, int> a = null!, b = null!;
a = n => b(n + 1) + 1;
b = n => a(n + 1) + 1;
return Exit(200, a(0).ToString());
