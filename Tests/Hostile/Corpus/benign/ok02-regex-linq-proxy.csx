// A benign script using Regex, LINQ and a rewrite, then proxying to the backend.
// Must: accepted; the backend answers 200.
var parts = Request.Path.Split('/').Where(p => p.Length > 0).ToList();
if (Regex.IsMatch(Request.Path, "^/[a-z0-9/-]*$")) Request.Headers["X-Parts"] = parts.Count.ToString();
return Next;
