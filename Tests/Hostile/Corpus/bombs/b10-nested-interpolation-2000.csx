// Interpolated strings nested 2,000 deep.
// Must: refused with 400 naming the limit (or the compile timeout); the process, and other hosts, live.
