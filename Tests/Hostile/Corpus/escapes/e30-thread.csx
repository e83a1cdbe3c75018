// Starts its own thread spinning forever: nothing would stop it.
// Must: refused at compile time (400 naming the API or the rule).
new System.Threading.Thread(() => { while (true) { } }).Start();
return Exit(200, "spawned");
