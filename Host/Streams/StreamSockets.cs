using System.Net.Sockets;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>Ending a socket another thread may be using.</summary>
internal static class StreamSockets
{
    /// <summary>
    /// Shuts <paramref name="socket"/> down both ways without closing it: whatever waits on it wakes
    /// (a connect fails, a read ends), and its descriptor stays its own until its owner closes it (an
    /// event loop's sockets are closed only by the loop). Nothing when it is closed already.
    /// </summary>
    public static void ShutDownQuietly(Socket? socket)
    {
        try
        {
            socket?.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Not connected (yet or any more): the shutdown still woke what waits on it; or closed already.
        }
    }
}
