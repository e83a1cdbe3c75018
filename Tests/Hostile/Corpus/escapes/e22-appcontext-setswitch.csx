// Flips a process-wide runtime switch with AppContext.SetSwitch.
// Must: refused at compile time (400 naming the API or the rule).
AppContext.SetSwitch("System.Net.Http.SocketsHttpHandler.Http2Support", false);
return Exit(200, "flipped");
