// 5,000 nested while statements.
// Must: refused with 400 naming the limit (or the compile timeout); the process, and other hosts, live.
