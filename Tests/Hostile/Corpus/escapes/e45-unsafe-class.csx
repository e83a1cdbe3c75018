// System.Runtime.CompilerServices.Unsafe: reinterpret a string as something writable.
// Must: refused at compile time (400 naming the API or the rule).
var s = "immutable";
ref char c = ref System.Runtime.CompilerServices.Unsafe.AsRef(in s.GetPinnableReference());
c = 'X';
return Exit(200, "immutable");
