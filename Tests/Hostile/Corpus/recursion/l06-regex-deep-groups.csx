// Builds a regex of 50,000 nested groups (the parser and optimizer recurse over it).
// Must: the process stays alive and other hosts serve; the request answers (200 or 500 with 50000001/50000002) within the client's timeout.
var r = new Regex(new string('(', 50000) + "a" + new string(')', 50000));
return Exit(200, r.IsMatch("a").ToString());
