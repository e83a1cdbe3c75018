// The same 20,000 nested blocks with ?dry_run=true (issue 11, point 2: even a dry run killed the process).
// Must: refused with 400 naming the limit (or the compile timeout); the process, and other hosts, live.
