using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>
/// A throw-away certificate authority made in the test, and leaf certificates it issues, as PEM
/// (what the admin API takes). Nothing is written to any system trust store.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private TestCertificates(X509Certificate2 authority)
    {
        Authority = authority;
    }

    /// <summary>The CA certificate with its key (ECDSA P-256).</summary>
    public X509Certificate2 Authority { get; }

    public string AuthorityPem => Authority.ExportCertificatePem();

    public static TestCertificates CreateAuthority(string name = "Slardar Test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new TestCertificates(request.CreateSelfSigned(now.AddYears(-1), now.AddYears(5)));
    }

    /// <summary>A leaf for <paramref name="dnsNames"/> issued by this CA: (PEM chain, PEM key, certificate).</summary>
    public IssuedCertificate Issue(string[] dnsNames, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool rsa = false, string? commonName = null)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = $"CN={commonName ?? dnsNames.FirstOrDefault() ?? "no-name"}";
        var request = key is RSA rsaKey
            ? new CertificateRequest(subject, rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        if (dnsNames.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames)
            {
                san.AddDnsName(name);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var authorityKey = Authority.GetECDsaPrivateKey()!;
        using var issued = request.Create(Authority.SubjectName, X509SignatureGenerator.CreateForECDsa(authorityKey), notBefore ?? now.AddHours(-1), notAfter ?? now.AddDays(90), serial);
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        return new IssuedCertificate(issued.ExportCertificatePem() + "\n" + AuthorityPem, keyPem, issued.GetCertHashString(HashAlgorithmName.SHA256));
    }

    /// <summary>A validation callback that trusts this CA only (custom trust store, no system roots).</summary>
    public bool Validate(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    public void Dispose() => Authority.Dispose();
}

/// <param name="Chain">Leaf then CA, PEM.</param>
/// <param name="Key">PKCS#8 PEM.</param>
/// <param name="Sha256">The leaf's SHA-256 thumbprint (hex, upper case).</param>
internal sealed record IssuedCertificate(string Chain, string Key, string Sha256);
