using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>A TLS server on loopback (self-signed for its name) that answers each handshake with its name and closes: a TLS-passthrough peer.</summary>
internal sealed class TlsNameBackend : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepts;

    private TlsNameBackend(string name)
    {
        Name = name;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        _accepts = LoopbackAcceptLoop.RunAsync(_listener, ServeAsync, _stop.Token);
    }

    public string Name { get; }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}";

    public static TlsNameBackend Start(string name) => new(name);

    /// <summary>Handshakes through <paramref name="endPoint"/> for <paramref name="serverName"/> and returns what the server said.</summary>
    public static async Task<string> AskAsync(IPEndPoint endPoint, string serverName)
    {
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(endPoint, timeout.Token);
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Subject == $"CN={serverName}",
        }, timeout.Token);
        using var reader = new StreamReader(ssl, Encoding.ASCII);
        return await reader.ReadToEndAsync(timeout.Token);
    }

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
            await ssl.WriteAsync(Encoding.ASCII.GetBytes(Name), _stop.Token);
            await ssl.ShutdownAsync();
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or SocketException)
        {
        }
    }
}
