using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>A raw TCP client of a stream listener, with every wait bounded (10 s) so a failing test fails instead of hanging.</summary>
internal sealed class StreamClient : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private StreamClient(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    public static async Task<StreamClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(Limit);
        await socket.ConnectAsync(endPoint, timeout.Token);
        return new StreamClient(socket);
    }

    public async Task SendAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Limit);
        await Socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, timeout.Token);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes as ASCII.</summary>
    public async Task<string> ReceiveAsync(int count)
    {
        var buffer = new byte[count];
        var filled = 0;
        using var timeout = new CancellationTokenSource(Limit);
        while (filled < count)
        {
            var read = await Socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                throw new EndOfStreamException($"closed after {filled} of {count} bytes");
            }

            filled += read;
        }

        return Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Reads until the other side closes; returns what came (ASCII). A reset counts as a close.</summary>
    public async Task<string> ReceiveToEndAsync()
    {
        var text = new StringBuilder();
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            while (true)
            {
                var read = await Socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    return text.ToString();
                }

                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (SocketException)
        {
            return text.ToString();
        }
    }

    public void Dispose() => Socket.Dispose();
}
