using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Slardar.Scriptable.RelayFloor;

/// <summary>
/// The runtime's Socket API with the gateway's copy loop (non-blocking receives, a zero-byte wait
/// when nothing is there, half-close passed on) and nothing else: no session table, no try engine,
/// no timers, no metrics. Run with the gateway's runtime settings (inline socket completions).
/// </summary>
internal static class SocketRelay
{
    public static async Task RunAsync(int listenPort, IPEndPoint target)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, listenPort));
        listener.Listen(4096);
        while (true)
        {
            var client = await listener.AcceptAsync().ConfigureAwait(false);
            client.NoDelay = true;
            _ = RelayAsync(client, target);
        }
    }

    private static async Task RelayAsync(Socket client, IPEndPoint target)
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await upstream.ConnectAsync(target).ConfigureAwait(false);
            client.Blocking = false;
            upstream.Blocking = false;
            var up = CopyAsync(client, upstream, waitFirst: false);
            var down = CopyAsync(upstream, client, waitFirst: true);
            await up.ConfigureAwait(false);
            await down.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    private static async Task CopyAsync(Socket from, Socket to, bool waitFirst)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                if (waitFirst)
                {
                    await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                }

                var read = from.Receive(buffer, SocketFlags.None, out var error);
                if (error == SocketError.WouldBlock)
                {
                    waitFirst = true;
                    continue;
                }

                if (error != SocketError.Success || read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                waitFirst = false;
                for (var sent = 0; sent < read;)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
