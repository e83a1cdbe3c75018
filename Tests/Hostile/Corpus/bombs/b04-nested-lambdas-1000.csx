// 1,000 nested lambdas.
// Must: refused with 400 naming the limit (or the compile timeout); the process, and other hosts, live.
