// Changes the process environment for everything that reads it later.
// Must: refused at compile time (400 naming the API or the rule).
Environment.SetEnvironmentVariable("SLARDAR_HOSTILE", "1");
return Exit(200, "set");
