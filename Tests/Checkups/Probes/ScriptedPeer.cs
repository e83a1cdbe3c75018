using System.Net;
using System.Net.Sockets;

namespace Slardar.Scriptable.Tests.Checkups.Probes;

/// <summary>
/// A loopback TCP server that runs a script on each accepted connection, then keeps it open until the
/// client closes it, so tests can see that a probe let go of its socket.
/// </summary>
internal sealed class ScriptedPeer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Socket, CancellationToken, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _accepted = [];
    private readonly TaskCompletionSource _clientClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ScriptedPeer(Func<Socket, CancellationToken, Task> script)
    {
        _script = script;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Completes when a client closed its connection after the script ran.</summary>
    public Task ClientClosed => _clientClosed.Task;

    public static ScriptedPeer Start(Func<Socket, CancellationToken, Task> script) => new(script);

    /// <summary>Writes <paramref name="bytes"/> on connect and then waits for the client.</summary>
    public static ScriptedPeer Writing(byte[] bytes) =>
        Start(async (socket, ct) => await socket.SendAsync(bytes, SocketFlags.None, ct));

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_accepted)
                {
                    _accepted.Add(socket);
                }

                _ = ServeAsync(socket);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await _script(socket, _stop.Token);
            var buffer = new byte[1024];
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) > 0)
            {
            }

            _clientClosed.TrySetResult();
        }
        catch (SocketException)
        {
            // A reset is the client closing too.
            _clientClosed.TrySetResult();
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The script closed the socket itself, or the test is over.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_accepted)
        {
            _accepted.ForEach(s => s.Dispose());
        }

        _stop.Dispose();
    }
}
