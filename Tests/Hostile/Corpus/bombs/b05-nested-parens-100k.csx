// 100,000 nested parentheses.
// Must: refused with 400 naming the limit (or the compile timeout); the process, and other hosts, live.
