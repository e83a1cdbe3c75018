using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>
/// The TLS test peers' common part: a loopback listener, the server handshake with a certificate it
/// owns, then the peer's own exchange; a client that goes away mid-way only ends its connection.
/// </summary>
internal sealed class LoopbackTlsServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly X509Certificate2 _certificate;
    private readonly Func<SslStream, Socket, CancellationToken, Task> _exchange;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepts;
    private int _connections;

    /// <param name="exchange">Runs after the handshake with the TLS stream, the client's socket and the server's stop token.</param>
    public LoopbackTlsServer(X509Certificate2 certificate, Func<SslStream, Socket, CancellationToken, Task> exchange)
    {
        _certificate = certificate;
        _exchange = exchange;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        _accepts = LoopbackAcceptLoop.RunAsync(_listener, ServeAsync, _stop.Token, () => Interlocked.Increment(ref _connections));
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>TCP connections accepted, whether or not their handshake succeeded.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _accepts;
        _certificate.Dispose();
        _stop.Dispose();
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            using var _ = client;
            await using var ssl = new SslStream(new NetworkStream(client, ownsSocket: false));
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
            await _exchange(ssl, client, _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException or OperationCanceledException or SocketException)
        {
        }
    }
}
