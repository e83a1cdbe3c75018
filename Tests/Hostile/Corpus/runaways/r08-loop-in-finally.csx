// Spins inside a finally block, which runs while the budget exception unwinds.
// Must: accepted; the request answers 500 with X-Error-Code 50000002 (budget) within the client's timeout.
try { while (true) { } }
finally { while (true) { } }
