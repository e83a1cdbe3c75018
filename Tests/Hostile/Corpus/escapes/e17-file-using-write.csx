// Writes a file through a using directive and a short name.
// Must: refused at compile time (400 naming the API or the rule).
using System.IO;
File.WriteAllText("/tmp/slardar-hostile-pwned", "x");
return Exit(200, "written");
