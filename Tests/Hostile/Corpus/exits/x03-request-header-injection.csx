// Sets a request header whose value carries CRLF and a second header, for the backend.
// Must: the backend never sees X-Injected: the script fails (500) or the value is refused or sanitized.
Request.Headers["X-Up"] = "a\r\nX-Injected: 1";
return Next;
