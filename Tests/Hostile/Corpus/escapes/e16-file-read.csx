// Reads /etc/passwd with System.IO.File.
// Must: refused at compile time, or stopped at run time without the effect; the process lives.
return Exit(200, System.IO.File.ReadAllText("/etc/passwd"));
