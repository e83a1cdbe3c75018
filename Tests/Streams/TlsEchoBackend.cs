using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>
/// A TLS server on loopback with a certificate of the test CA: it reads what the client sends until
/// the client's close_notify or FIN, then answers "<c>name:count:sni:alpn</c>" (the bytes it got, the
/// server name and ALPN protocol of the handshake) and closes: a peer the gateway originates TLS to.
/// In echo mode it sends every chunk back as it comes instead, and closes after the client's end.
/// </summary>
internal sealed class TlsEchoBackend : IAsyncDisposable
{
    private readonly LoopbackTlsServer _server;

    private TlsEchoBackend(string name, IssuedCertificate issued, bool echo)
    {
        Name = name;
        Echo = echo;
        _server = new LoopbackTlsServer(X509Certificate2.CreateFromPem(issued.Chain, issued.Key), ExchangeAsync);
    }

    public string Name { get; }

    public bool Echo { get; }

    public int Port => _server.Port;

    public string Address => _server.Address;

    /// <summary>TCP connections accepted, whether or not their handshake succeeded.</summary>
    public int Connections => _server.Connections;

    public static TlsEchoBackend Start(string name, IssuedCertificate issued, bool echo = false) => new(name, issued, echo);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ExchangeAsync(SslStream ssl, Socket client, CancellationToken stop)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await ssl.ReadAsync(buffer, stop)) > 0)
        {
            total += read;
            if (Echo)
            {
                await ssl.WriteAsync(buffer.AsMemory(0, read), stop);
            }
        }

        if (!Echo)
        {
            var alpn = ssl.NegotiatedApplicationProtocol.ToString();
            await ssl.WriteAsync(Encoding.ASCII.GetBytes($"{Name}:{total}:{ssl.TargetHostName}:{alpn}"), stop);
        }

        await ssl.ShutdownAsync();
        client.Shutdown(SocketShutdown.Send);
    }
}
