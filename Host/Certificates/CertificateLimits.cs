namespace Slardar.Scriptable.Host.Certificates;

/// <summary>Bounds on what a certificate write may hold; each is named in the 400 that enforces it.</summary>
internal static class CertificateLimits
{
    /// <summary>A PEM chain of a leaf and a few intermediates fits easily (APISIX allows 64 KiB too).</summary>
    public const int MaxCertificatePemChars = 64 * 1024;

    /// <summary>An RSA 8192 key in PEM is about 6.5 KB.</summary>
    public const int MaxKeyPemChars = 16 * 1024;

    /// <summary>Certificates in one chain (leaf included).</summary>
    public const int MaxChainLength = 10;

    /// <summary>Host patterns per certificate; public CAs issue at most a few hundred names per certificate.</summary>
    public const int MaxHosts = 1000;

    /// <summary>Certificates the gateway holds; every one is parsed and kept in memory.</summary>
    public const int MaxCertificates = 10_000;

    /// <summary>A certificate that ends within this much time is reported as expiring (/status, /metrics, UI).</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(14);
}
