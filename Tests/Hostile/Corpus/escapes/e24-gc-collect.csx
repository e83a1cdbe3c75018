// Forces blocking compacting full collections from a request.
// Must: refused at compile time (400 naming the API or the rule).
for (int i = 0; i < 100; i++) GC.Collect(2, GCCollectionMode.Forced, true, true);
return Exit(200, "collected");
