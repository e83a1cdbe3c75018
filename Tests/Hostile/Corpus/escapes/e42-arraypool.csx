// Rents from ArrayPool.Shared and never returns: shared state outliving the script.
// Must: refused at compile time (400 naming the API or the rule).
var a = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
return Exit(200, a.Length.ToString());
