// Calls __Exit() directly to drive the depth count negative, then recurses.
// Must: refused: reserved names may not be used by scripts.
for (int i = 0; i < 100000; i++) { __Exit(); }
int F(int n) => F(n + 1) + 1;
return Exit(200, F(0).ToString());
