// Unbounded recursion of a local function.
// Must: accepted; the request answers 500 with X-Error-Code 50000002 (budget) within the client's timeout.
int F(int n) => F(n + 1) + 1;
return Exit(200, F(0).ToString());
