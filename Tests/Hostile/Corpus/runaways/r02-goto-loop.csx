// A loop built from goto, not from a loop statement.
// Must: accepted; the request answers 500 with X-Error-Code 50000002 (budget) within the client's timeout.
top:
goto top;
