using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Certificates;

/// <summary>Real TLS handshakes and HTTPS requests against a gateway's loopback port, trusting only the test CA.</summary>
internal static class TlsClient
{
    /// <summary>One handshake with <paramref name="serverName"/> as SNI: the served leaf's SHA-256 thumbprint and the ALPN result.</summary>
    public static async Task<(string Sha256, string Protocol)> HandshakeAsync(int port, string? serverName, TestCertificates ca, bool offerHttp2 = true)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var ssl = new SslStream(tcp.GetStream());
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName ?? string.Empty,
            ApplicationProtocols = offerHttp2 ? [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11] : [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, certificate, _, _) => ca.Validate(certificate),
        });
        var leaf = ssl.RemoteCertificate!;
        return (leaf.GetCertHashString(HashAlgorithmName.SHA256), ssl.NegotiatedApplicationProtocol.ToString());
    }

    /// <summary>An HttpClient whose every connection goes to 127.0.0.1:<paramref name="port"/>; the URL's host is the SNI and Host.</summary>
    public static HttpClient Create(int port, TestCertificates ca) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, certificate, _, _) => ca.Validate(certificate) },
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static int PortOf(string url) => new Uri(url.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;
}
