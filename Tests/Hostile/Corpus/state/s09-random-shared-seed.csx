// Hammers Random.Shared from a script: shared state, but thread-safe and harmless.
// Must: refused, or run with no effect beyond its own request: the control host's formatting is unchanged.
var sum = 0;
for (int i = 0; i < 1000; i++) sum += Random.Shared.Next(2);
return Exit(200, "drew");
