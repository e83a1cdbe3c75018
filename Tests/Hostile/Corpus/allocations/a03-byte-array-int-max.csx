// new byte[int.MaxValue]: beyond the largest array .NET allows (OutOfMemoryException at once).
// Must: accepted; 500 (50000001 for the OutOfMemoryException, or 50000002) and the process lives.
var b = new byte[int.MaxValue];
return Exit(200, b.Length.ToString());
