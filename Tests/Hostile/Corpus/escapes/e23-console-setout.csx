// Redirects the process's standard output (and with it the console log) with Console.SetOut.
// Must: refused at compile time (400 naming the API or the rule).
Console.SetOut(Console.Error);
return Exit(200, "redirected");
