using System.Collections.Immutable;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Slardar.Scriptable.Host.Certificates;

/// <summary>
/// A certificate as served: the leaf with its private key, the chain built once for handshakes,
/// the host patterns it answers for, and where it came from. Immutable once published; a new
/// version of the same name is a new instance, so a handshake in progress keeps the one it chose.
/// </summary>
internal sealed record ServedCertificate
{
    public required string Name { get; init; }

    /// <summary>Normalized patterns (exact, <c>*.x</c> or <c>_</c>), in the order given.</summary>
    public required ImmutableArray<string> Hosts { get; init; }

    /// <summary>The PEM chain as posted (leaf first); what the store and Consul keep, never the key.</summary>
    public required string CertificatePem { get; init; }

    /// <summary>The leaf, with its private key.</summary>
    public required X509Certificate2 Leaf { get; init; }

    /// <summary>Leaf plus intermediates, for SslStream (built once: no per-handshake chain building).</summary>
    public required SslStreamCertificateContext Context { get; init; }

    public required ImmutableArray<string> DnsNames { get; init; }

    public required string Subject { get; init; }

    public required string Issuer { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    public string Thumbprint => Leaf.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);

    /// <summary>admin API, file or consul (<see cref="Store.StoreOrigins"/>).</summary>
    public required string Origin { get; init; }

    /// <summary>Store version; 0 for certificates from files (they are not stored).</summary>
    public int Version { get; init; }

    /// <summary>For file certificates: the files it was read from.</summary>
    public string? SourcePath { get; init; }

    public bool ExpiresWithin(TimeSpan window, DateTimeOffset now) => NotAfter - now <= window;
}
