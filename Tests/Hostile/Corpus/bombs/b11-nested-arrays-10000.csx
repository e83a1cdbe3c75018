// Collection initializers nested 10,000 deep: new object[] { new object[] { ... } }.
// Must: refused with 400 naming the limit (or the compile timeout); the process, and other hosts, live.
