// 2,000 simple statements (the size that, 30 at a time, took the gateway to 876 MB): a normal compile.
// Must: accepted and served (well inside the limits).
