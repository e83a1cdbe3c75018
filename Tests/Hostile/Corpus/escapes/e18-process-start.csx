// Starts a shell with Process.Start.
// Must: refused at compile time (400 naming the API or the rule).
System.Diagnostics.Process.Start("/bin/sh", "-c true");
return Exit(200, "started");
