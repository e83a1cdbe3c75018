// Marshal.AllocHGlobal: native memory outside any budget, and raw pointers.
// Must: refused at compile time (400 naming the API or the rule).
var p = System.Runtime.InteropServices.Marshal.AllocHGlobal(1 << 30);
return Exit(200, p.ToString());
