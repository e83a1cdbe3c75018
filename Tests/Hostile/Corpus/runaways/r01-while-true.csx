// while (true) { }: the plain runaway.
// Must: accepted; the request answers 500 with X-Error-Code 50000002 (budget) within the client's timeout.
while (true) { }
