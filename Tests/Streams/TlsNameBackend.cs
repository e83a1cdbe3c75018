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
    private readonly LoopbackTlsServer _server;

    private TlsNameBackend(string name)
    {
        Name = name;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        _server = new LoopbackTlsServer(certificate, AnswerAsync);
    }

    public string Name { get; }

    public string Address => _server.Address;

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

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task AnswerAsync(SslStream ssl, Socket client, CancellationToken stop)
    {
        await ssl.WriteAsync(Encoding.ASCII.GetBytes(Name), stop);
        await ssl.ShutdownAsync();
    }
}
