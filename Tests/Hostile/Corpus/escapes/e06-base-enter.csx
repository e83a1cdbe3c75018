// Calls the stack-guard hook itself through base.__Enter, unbalancing the depth count.
// Must: refused: reserved names may not be used by scripts.
for (int i = 0; i < 1000; i++) { base.__Enter(1); }
return Exit(200, "entered");
