// A script that throws on every request, 7 times: plain exceptions must not quarantine (a client could take the host down with bad input).
// Must: 7 x 500 + 50000001, never 503.
throw new InvalidOperationException("bad input");
