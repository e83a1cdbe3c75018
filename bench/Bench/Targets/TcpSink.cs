using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Slardar.Scriptable.Bench.Targets;

/// <summary>
/// A TCP backend in the harness: reads a connection to its end (the client's FIN), then answers the
/// byte count (8 bytes, big-endian) and closes. One long stream measures throughput; a one-byte
/// connection is one whole session for the connections-per-second count.
/// </summary>
internal sealed class TcpSink : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepts;

    private TcpSink()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(4096);
        _accepts = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public static TcpSink Start() => new();

    /// <summary>Sends <paramref name="bytes"/> (64 KiB writes), closes its half and reads the sink's count; false when it does not match.</summary>
    public static async Task<bool> SendAsync(int port, long bytes, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        var chunk = new byte[Math.Min(bytes, 64 * 1024)];
        for (var left = bytes; left > 0;)
        {
            var size = (int)Math.Min(left, chunk.Length);
            var sent = await socket.SendAsync(chunk.AsMemory(0, size), SocketFlags.None, cancellationToken);
            left -= sent;
        }

        socket.Shutdown(SocketShutdown.Send);
        var answer = new byte[8];
        var filled = 0;
        while (filled < 8)
        {
            var read = await socket.ReceiveAsync(answer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return false;
            }

            filled += read;
        }

        return BinaryPrimitives.ReadInt64BigEndian(answer) == bytes;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _accepts;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var _ = client;
        var buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            int read;
            while ((read = await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                total += read;
            }

            BinaryPrimitives.WriteInt64BigEndian(buffer, total);
            await client.SendAsync(buffer.AsMemory(0, 8), SocketFlags.None, _stop.Token);
            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
