using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// The client side of TLS to a peer, shared by forwarding, health checks and the stream proxy's
/// connects, so all judge a peer's certificate the same way.
/// </summary>
internal static class UpstreamTlsHandshake
{
    private static readonly List<SslApplicationProtocol> Http11 = [SslApplicationProtocol.Http11];
    private static readonly List<SslApplicationProtocol> Http2 = [SslApplicationProtocol.Http2];

    /// <summary>Runs the handshake over <paramref name="transport"/> (owned by the returned stream).</summary>
    /// <param name="http2">Offer h2 alone by ALPN, and refuse a peer that does not pick it (the connection will speak HTTP/2 frames).</param>
    /// <param name="alpn">Offer an HTTP protocol by ALPN at all; false for the stream proxy, whose bytes are not HTTP.</param>
    /// <exception cref="AuthenticationException">The handshake failed, the certificate was not accepted, or the peer refused h2.</exception>
    public static async Task<SslStream> AuthenticateAsync(Stream transport, UpstreamTlsConfig tls, string peerHost, CancellationToken cancellationToken, bool http2 = false, bool alpn = true)
    {
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        try
        {
            var serverName = tls.ServerName(peerHost);
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = serverName,
                    ApplicationProtocols = !alpn ? null : http2 ? Http2 : Http11,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Accept(tls, certificate, errors),
                },
                cancellationToken);
            if (http2 && ssl.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2)
            {
                throw new AuthenticationException($"{serverName} did not agree to HTTP/2 (ALPN h2); remove \"http2\" from the upstream or enable HTTP/2 on the peer");
            }

            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether a peer's certificate is accepted under <paramref name="tls"/>.</summary>
    public static bool Accept(UpstreamTlsConfig tls, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (!tls.Verify)
        {
            return true;
        }

        if (tls.TrustedRoots is not { } roots)
        {
            return errors == SslPolicyErrors.None;
        }

        // A CA bundle: the name must match; the chain must end at one of its certificates (not the system's roots).
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
