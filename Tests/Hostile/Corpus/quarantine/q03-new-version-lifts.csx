// A quarantined runaway replaced by a new version.
// Must: 5 x 500 + 50000002, 503 + 50300001, then a new version is accepted and answers 200.
for (long i = 0; ; i++) { }
