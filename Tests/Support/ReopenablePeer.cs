using System.Net;
using System.Net.Sockets;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>A loopback port that can be closed (connection refused) and opened again, counting accepted connections.</summary>
internal sealed class ReopenablePeer : IDisposable
{
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private int _connections;

    public ReopenablePeer()
    {
        Port = DeadPeer.ReservePort();
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public int Connections => Volatile.Read(ref _connections);

    public void Open()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _stop = new CancellationTokenSource();
        _ = AcceptAsync(_listener, _stop.Token);
    }

    public void Close()
    {
        _stop?.Cancel();
        _listener?.Stop();
        _listener = null;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                using var socket = await listener.AcceptSocketAsync(cancellationToken);
                Interlocked.Increment(ref _connections);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public void Dispose() => Close();
}
