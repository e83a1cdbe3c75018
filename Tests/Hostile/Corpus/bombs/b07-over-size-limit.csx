// A 300 KB source (over Scripts:Compiler:MaxSourceBytes, 256 KiB).
// Must: refused with 400 naming the limit (or the compile timeout); the process, and other hosts, live.
