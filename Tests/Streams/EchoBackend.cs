using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>
/// A TCP backend on loopback. Echo mode sends back what it reads and closes its half when the
/// client closes its own; reply-at-end mode reads until the client's FIN and only then answers
/// "<c>name:count</c>" (what a half-close must let through), then closes. With a greeting it speaks
/// first, as MySQL, SMTP or FTP servers do: the greeting goes out as soon as it accepts.
/// </summary>
internal sealed class EchoBackend : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepts;
    private int _connections;

    private readonly byte[]? _greeting;

    private EchoBackend(string name, bool replyAtEnd, string? greeting)
    {
        Name = name;
        ReplyAtEnd = replyAtEnd;
        _greeting = greeting is null ? null : Encoding.ASCII.GetBytes(greeting);
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        _accepts = LoopbackAcceptLoop.RunAsync(_listener, ServeAsync, _stop.Token, () => Interlocked.Increment(ref _connections));
    }

    public string Name { get; }

    public bool ReplyAtEnd { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public string Address => $"127.0.0.1:{Port}";

    public int Connections => Volatile.Read(ref _connections);

    public static EchoBackend Start(string name = "echo", bool replyAtEnd = false, string? greeting = null) => new(name, replyAtEnd, greeting);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _accepts;
        _stop.Dispose();
    }

    private async Task ServeAsync(Socket client)
    {
        using var _ = client;
        var buffer = new byte[16 * 1024];
        long total = 0;
        try
        {
            if (_greeting is not null)
            {
                await client.SendAsync(_greeting, SocketFlags.None, _stop.Token);
            }

            while (true)
            {
                var read = await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    if (ReplyAtEnd)
                    {
                        await client.SendAsync(Encoding.ASCII.GetBytes($"{Name}:{total}"), SocketFlags.None, _stop.Token);
                    }

                    client.Shutdown(SocketShutdown.Send);
                    return;
                }

                total += read;
                if (!ReplyAtEnd)
                {
                    await client.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
