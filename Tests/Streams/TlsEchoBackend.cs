using System.Net;
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
    private readonly Socket _listener;
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepts;
    private int _connections;

    private TlsEchoBackend(string name, IssuedCertificate issued, bool echo)
    {
        Name = name;
        Echo = echo;
        _certificate = X509Certificate2.CreateFromPem(issued.Chain, issued.Key);
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        _accepts = LoopbackAcceptLoop.RunAsync(_listener, ServeAsync, _stop.Token, () => Interlocked.Increment(ref _connections));
    }

    public string Name { get; }

    public bool Echo { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>TCP connections accepted, whether or not their handshake succeeded.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static TlsEchoBackend Start(string name, IssuedCertificate issued, bool echo = false) => new(name, issued, echo);

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
            var buffer = new byte[16 * 1024];
            long total = 0;
            int read;
            while ((read = await ssl.ReadAsync(buffer, _stop.Token)) > 0)
            {
                total += read;
                if (Echo)
                {
                    await ssl.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                }
            }

            if (!Echo)
            {
                var alpn = ssl.NegotiatedApplicationProtocol.ToString();
                await ssl.WriteAsync(Encoding.ASCII.GetBytes($"{Name}:{total}:{ssl.TargetHostName}:{alpn}"), _stop.Token);
            }

            await ssl.ShutdownAsync();
            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or SocketException)
        {
        }
    }
}
