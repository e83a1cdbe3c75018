// Opens a TCP connection from a script.
// Must: refused at compile time (400 naming the API or the rule).
var c = new System.Net.Sockets.TcpClient();
return Exit(200, c.ToString()!);
