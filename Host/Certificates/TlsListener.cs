using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Slardar.Scriptable.Host.Certificates;

/// <summary>
/// TLS on a Kestrel listener with the certificate chosen per handshake from the current
/// <see cref="CertificateSnapshot"/> by SNI: a certificate posted, replaced or deleted applies to
/// the next handshake, with no restart and no effect on connections already established. ALPN
/// offers h2 and http/1.1 (HTTP/2 when the client speaks it).
/// </summary>
internal static partial class TlsListener
{
    private static readonly List<SslApplicationProtocol> Http2AndHttp11 = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
    private static readonly List<SslApplicationProtocol> Http11Only = [SslApplicationProtocol.Http11];

    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <param name="certificates">Read at every handshake (the current snapshot).</param>
    public static void Use(ListenOptions listen, Func<CertificateSnapshot> certificates, bool http2, ILogger logger)
    {
        listen.Protocols = http2 ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
        var protocols = http2 ? Http2AndHttp11 : Http11Only;
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = HandshakeTimeout,
            OnConnection = context =>
            {
                var serverName = context.ClientHelloInfo.ServerName;
                if (certificates().Select(serverName) is not { } certificate)
                {
                    // No certificate for this name and no default (_): refuse the handshake, as APISIX does.
                    Log.NoCertificate(logger, string.IsNullOrEmpty(serverName) ? "(no SNI)" : serverName);
                    throw new AuthenticationException($"no certificate for server name '{serverName}' and no default (_) certificate");
                }

                return ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = certificate.Context,
                    ApplicationProtocols = protocols,
                    ClientCertificateRequired = false,
                    CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                });
            },
        });
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "TLS handshake refused: no certificate for {ServerName} and no default (_) certificate")]
        public static partial void NoCertificate(ILogger logger, string serverName);
    }
}
