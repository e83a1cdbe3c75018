// stackalloc of 1 GiB in safe code (Span<byte>): a stack overflow no catch can stop.
// Must: refused at compile time, or stopped at run time without the effect; the process lives.
int size = int.Parse("1073741824");
Span<byte> s = stackalloc byte[size];
s[0] = 1;
return Exit(200, s.Length.ToString());
