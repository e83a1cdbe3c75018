// 20,000 nested blocks { { { ... } } } (issue 11, point 2: a stack overflow in Roslyn killed the process).
// Must: refused with 400 naming the limit (or the compile timeout); the process, and other hosts, live.
