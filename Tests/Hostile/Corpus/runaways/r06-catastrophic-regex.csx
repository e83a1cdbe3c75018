// Catastrophic backtracking: ^(a+)+$ on 27 a's and a '!' from a request header (issue 11, point 4: 8.5 s).
// Must: accepted; the regex gets a match timeout within the script's budget: 500 (50000002, or 50000001 for the timeout exception) within the client's timeout.
return Exit(200, Regex.IsMatch(Request.Headers["X-A"] ?? "", "^(a+)+$").ToString());
