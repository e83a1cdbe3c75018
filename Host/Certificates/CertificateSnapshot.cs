using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Certificates;

/// <summary>
/// Every certificate that serves, and the lookup a handshake makes: the exact name, then the
/// wildcard for its first label (<c>a.example.com</c> → <c>*.example.com</c>, one label only, as
/// the certificate itself covers), then the default <c>_</c>. Immutable: a change publishes a new
/// snapshot, which the next handshake reads.
/// </summary>
internal sealed class CertificateSnapshot
{
    public static readonly CertificateSnapshot Empty = new([]);

    private readonly FrozenDictionary<string, ServedCertificate> _byPattern;

    public CertificateSnapshot(IEnumerable<ServedCertificate> certificates)
    {
        All = [.. certificates.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)];
        var byPattern = new Dictionary<string, ServedCertificate>(StringComparer.Ordinal);
        foreach (var certificate in All)
        {
            foreach (var host in certificate.Hosts)
            {
                byPattern.TryAdd(host, certificate);
            }
        }

        _byPattern = byPattern.ToFrozenDictionary(StringComparer.Ordinal);
        Default = _byPattern.GetValueOrDefault(CertificateHostPattern.Default);
    }

    public ImmutableArray<ServedCertificate> All { get; }

    public ServedCertificate? Default { get; }

    /// <summary>Which certificate holds <paramref name="pattern"/> (normalized), if any.</summary>
    public ServedCertificate? Owner(string pattern) => _byPattern.GetValueOrDefault(pattern);

    public ServedCertificate? Find(string name) => All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The certificate for a handshake's server name (null or empty without SNI).</summary>
    public ServedCertificate? Select(string? serverName)
    {
        var name = CertificateHostPattern.NormalizeServerName(serverName);
        if (name is null)
        {
            return Default;
        }

        if (_byPattern.TryGetValue(name, out var exact))
        {
            return exact;
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && _byPattern.TryGetValue(string.Concat("*", name.AsSpan(dot)), out var wildcard))
        {
            return wildcard;
        }

        return Default;
    }
}
