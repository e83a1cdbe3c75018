using System.Globalization;
using System.Net;
using Slardar.Scriptable.RelayFloor;

// relay (socket | epoll) <listen port> <target port>: relays 127.0.0.1:<listen> to 127.0.0.1:<target> until killed.
if (args is not [var kind and ("socket" or "epoll"), var listen, var target])
{
    Console.Error.WriteLine("usage: Slardar.Scriptable.RelayFloor socket|epoll <listen port> <target port>");
    return 2;
}

var listenPort = int.Parse(listen, CultureInfo.InvariantCulture);
var targetPort = int.Parse(target, CultureInfo.InvariantCulture);
if (kind == "socket")
{
    var relay = SocketRelay.RunAsync(listenPort, new IPEndPoint(IPAddress.Loopback, targetPort));
    Console.WriteLine($"relay listening on {listenPort}");
    await relay;
}
else
{
    var loops = EpollRelay.Start(listenPort, targetPort, Environment.ProcessorCount);
    Console.WriteLine($"relay listening on {listenPort}");
    foreach (var loop in loops)
    {
        loop.Join();
    }
}

return 0;
