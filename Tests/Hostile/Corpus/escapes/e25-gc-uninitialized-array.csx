// GC.AllocateUninitializedArray: 2 GB of memory that may hold other requests' data.
// Must: refused at compile time (400 naming the API or the rule).
var a = GC.AllocateUninitializedArray<byte>(int.MaxValue - 64);
return Exit(200, a[12345].ToString());
