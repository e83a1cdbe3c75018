using System.Security.Cryptography.X509Certificates;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// TLS to an upstream's peers (<c>"scheme": "https"</c>): the server name sent (<c>sni</c>, else
/// the peer's host), and how the peer's certificate is checked: against the system's roots, against
/// the CA bundle <c>ca</c> only, or not at all (<c>"verify": false</c>, shown in /status).
/// Immutable; equal when the JSON fields are equal (the parsed roots follow from <see cref="CaPem"/>).
/// </summary>
internal sealed class UpstreamTlsConfig : IEquatable<UpstreamTlsConfig>
{
    public UpstreamTlsConfig(string? sni, string? caPem, bool verify, X509Certificate2Collection? trustedRoots)
    {
        Sni = sni;
        CaPem = caPem;
        Verify = verify;
        TrustedRoots = trustedRoots;
    }

    public string? Sni { get; }

    public string? CaPem { get; }

    public bool Verify { get; }

    /// <summary>The certificates of <see cref="CaPem"/>, the only roots trusted when set.</summary>
    public X509Certificate2Collection? TrustedRoots { get; }

    /// <summary>The name the handshake sends and the certificate must carry.</summary>
    public string ServerName(string peerHost) => Sni ?? peerHost.Trim('[', ']');

    public bool Equals(UpstreamTlsConfig? other) =>
        other is not null && Sni == other.Sni && CaPem == other.CaPem && Verify == other.Verify;

    public override bool Equals(object? obj) => Equals(obj as UpstreamTlsConfig);

    public override int GetHashCode() => HashCode.Combine(Sni, CaPem, Verify);
}
