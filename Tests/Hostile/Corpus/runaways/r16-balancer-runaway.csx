// A balancer script (synchronous, once per try) that spins.
// Must: accepted; 500 + 50000002, and the backend never sees the request.
while (true) { }
