// The same injection with a bare LF.
// Must: accepted; 500 with X-Error-Code 50000001, never the injected header.
return Exit(200, "x", "text/plain\nX-Injected: 1");
