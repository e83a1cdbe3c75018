// An auth script that spins: the request must fail closed, never reach the backend.
// Must: accepted; 500 + 50000002, and the backend never sees the request (fail closed).
while (true) { }
