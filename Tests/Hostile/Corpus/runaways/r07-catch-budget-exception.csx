// Catches the budget exception and goes on looping.
// Must: accepted; the request answers 500 with X-Error-Code 50000002 (budget) within the client's timeout.
var n = 0;
while (true)
{
    try { while (true) { n++; } }
    catch (Exception) { }
}
