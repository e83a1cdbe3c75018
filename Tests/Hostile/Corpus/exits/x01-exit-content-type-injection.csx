// Exit(200, "x", "text/plain\r\nX-Injected: 1"): a header injected through the content type (issue 11, point 8).
// Must: accepted; 500 with X-Error-Code 50000001, never the injected header.
return Exit(200, "x", "text/plain\r\nX-Injected: 1");
