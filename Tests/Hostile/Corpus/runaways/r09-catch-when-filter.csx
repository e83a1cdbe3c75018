// Swallows every exception with a filter that spins before deciding.
// Must: accepted; the request answers 500 with X-Error-Code 50000002 (budget) within the client's timeout.
bool Swallow() { var i = 0; while (i >= 0) { i++; } return true; }
while (true) { try { while (true) { } } catch (Exception) when (Swallow()) { } }
