using System.Net;
using System.Net.Sockets;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>
/// A peer that speaks raw bytes on loopback: each accepted connection runs the test's script
/// (read a request, send any bytes, close), for responses no real server would send.
/// </summary>
internal sealed class RawPeer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<RawPeerConnection, Task> _script;
    private int _connections;

    public RawPeer(Func<RawPeerConnection, Task> script)
    {
        _script = script;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoopAsync();
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Answers every request on a connection with <paramref name="response"/>, then keeps reading.</summary>
    public static RawPeer Answering(string response) => new(async connection =>
    {
        while (await connection.ReadRequestAsync() is not null)
        {
            await connection.SendAsync(response);
        }
    });

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                var index = Interlocked.Increment(ref _connections);
                _ = RunAsync(new RawPeerConnection(socket, index));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task RunAsync(RawPeerConnection connection)
    {
        using (connection)
        {
            try
            {
                await _script(connection);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
