// A type nested 2,000 generic levels deep: List<List<...<int>...>>.
// Must: refused with 400 naming the limit (or the compile timeout); the process, and other hosts, live.
