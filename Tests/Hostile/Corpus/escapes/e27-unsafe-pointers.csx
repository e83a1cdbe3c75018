// unsafe code writing through a pointer far past a local.
// Must: refused at compile time (400 naming the API or the rule).
unsafe { int x = 1; int* p = &x; p[100000] = 1; }
return Exit(200, "wrote");
