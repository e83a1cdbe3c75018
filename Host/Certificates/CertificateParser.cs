using System.Collections.Immutable;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Slardar.Scriptable.Host.Certificates;

/// <summary>
/// Turns a PEM chain, a PEM key and host patterns into a <see cref="ServedCertificate"/>, or says
/// what is wrong: malformed or oversized PEM, an encrypted key, a key that is not the certificate's,
/// a certificate not yet valid or expired, a pattern no name of the certificate covers. Nothing is
/// published from here; callers publish only what this accepts. Validity dates are not checked for
/// what was already accepted once (stored certificates at start): an expired one keeps serving,
/// loudly, rather than leaving its hosts with none.
/// </summary>
internal static class CertificateParser
{
    public static CertificateParseResult Parse(
        string name, string? certificatePem, string? keyPem, IReadOnlyList<string>? hosts, string origin, DateTimeOffset now, int version = 0, string? sourcePath = null, bool checkValidity = true)
    {
        if (string.IsNullOrWhiteSpace(certificatePem))
        {
            return CertificateParseResult.Fail("cert: missing (a PEM certificate chain, leaf first)");
        }

        if (certificatePem.Length > CertificateLimits.MaxCertificatePemChars)
        {
            return CertificateParseResult.Fail($"cert: larger than {CertificateLimits.MaxCertificatePemChars / 1024} KiB");
        }

        if (string.IsNullOrWhiteSpace(keyPem))
        {
            return CertificateParseResult.Fail("key: missing (a PEM private key)");
        }

        if (keyPem.Length > CertificateLimits.MaxKeyPemChars)
        {
            return CertificateParseResult.Fail($"key: larger than {CertificateLimits.MaxKeyPemChars / 1024} KiB");
        }

        var patterns = NormalizeHosts(hosts, out var hostError);
        if (patterns.IsDefault)
        {
            return CertificateParseResult.Fail(hostError!);
        }

        List<X509Certificate2>? chain = ReadChain(certificatePem, out var chainError);
        if (chain is null)
        {
            return CertificateParseResult.Fail(chainError!);
        }

        X509Certificate2? leaf = null;
        try
        {
            leaf = WithKey(chain[0], keyPem, out var keyError);
            if (leaf is null)
            {
                return CertificateParseResult.Fail(keyError!);
            }

            if (checkValidity && leaf.NotBefore.ToUniversalTime() > now.UtcDateTime)
            {
                return CertificateParseResult.Fail($"cert: not valid before {Time(leaf.NotBefore)}");
            }

            if (checkValidity && leaf.NotAfter.ToUniversalTime() <= now.UtcDateTime)
            {
                return CertificateParseResult.Fail($"cert: expired on {Time(leaf.NotAfter)}");
            }

            var dnsNames = DnsNamesOf(leaf);
            foreach (var pattern in patterns)
            {
                if (pattern != CertificateHostPattern.Default && !dnsNames.Any(san => CertificateHostPattern.Covers(san, pattern)))
                {
                    return CertificateParseResult.Fail(
                        $"hosts: \"{pattern}\" is not covered by the certificate's names ({(dnsNames.IsEmpty ? "none" : string.Join(", ", dnsNames.Take(10)))})");
                }
            }

            var intermediates = new X509Certificate2Collection();
            intermediates.AddRange(chain.Skip(1).ToArray());
            var served = new ServedCertificate
            {
                Name = name,
                Hosts = patterns,
                CertificatePem = certificatePem,
                Leaf = leaf,
                Context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true),
                DnsNames = dnsNames,
                Subject = leaf.Subject,
                Issuer = leaf.Issuer,
                NotBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                NotAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                Origin = origin,
                Version = version,
                SourcePath = sourcePath,
            };
            // The context holds the intermediates; only the key-less copy of the leaf is done with.
            leaf = null;
            chain[0].Dispose();
            chain = null;
            return CertificateParseResult.Ok(served);
        }
        finally
        {
            leaf?.Dispose();
            if (chain is not null)
            {
                Dispose(chain);
            }
        }
    }

    /// <summary>DNS names of the subject alternative name extension; the subject CN only when there is no such extension.</summary>
    public static ImmutableArray<string> DnsNamesOf(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                return [.. san.EnumerateDnsNames().Select(n => n.ToLowerInvariant())];
            }
        }

        var commonName = certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false);
        return string.IsNullOrEmpty(commonName) ? [] : [commonName.ToLowerInvariant()];
    }

    private static ImmutableArray<string> NormalizeHosts(IReadOnlyList<string>? hosts, out string? error)
    {
        error = null;
        if (hosts is null || hosts.Count == 0)
        {
            error = "hosts: missing (at least one host pattern: a.example.com, *.example.com or _ for the default)";
            return default;
        }

        if (hosts.Count > CertificateLimits.MaxHosts)
        {
            error = $"hosts: more than {CertificateLimits.MaxHosts.ToString(CultureInfo.InvariantCulture)} patterns";
            return default;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = ImmutableArray.CreateBuilder<string>(hosts.Count);
        foreach (var host in hosts)
        {
            if (!CertificateHostPattern.TryNormalize(host, out var normalized, out var patternError))
            {
                error = "hosts: " + patternError;
                return default;
            }

            if (seen.Add(normalized))
            {
                result.Add(normalized);
            }
        }

        return result.ToImmutable();
    }

    private static List<X509Certificate2>? ReadChain(string pem, out string? error)
    {
        error = null;
        var chain = new List<X509Certificate2>();
        try
        {
            var rest = pem.AsSpan();
            while (PemEncoding.TryFind(rest, out var fields))
            {
                var label = rest[fields.Label];
                if (!label.SequenceEqual("CERTIFICATE"))
                {
                    error = $"cert: a PEM block labelled \"{Truncate(label.ToString())}\" where only CERTIFICATE blocks belong (the key goes in \"key\")";
                    return Dispose(chain);
                }

                if (chain.Count == CertificateLimits.MaxChainLength)
                {
                    error = $"cert: more than {CertificateLimits.MaxChainLength} certificates in the chain";
                    return Dispose(chain);
                }

                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], der, out var written))
                {
                    error = "cert: a CERTIFICATE block is not valid base64";
                    return Dispose(chain);
                }

                chain.Add(X509CertificateLoader.LoadCertificate(der.AsSpan(0, written)));
                rest = rest[fields.Location.End.GetOffset(rest.Length)..];
            }
        }
        catch (CryptographicException ex)
        {
            error = $"cert: certificate {chain.Count + 1} of the chain is malformed ({ex.Message})";
            return Dispose(chain);
        }

        if (chain.Count == 0)
        {
            error = "cert: no PEM certificate found (expected -----BEGIN CERTIFICATE-----)";
            return null;
        }

        return chain;
    }

    private static X509Certificate2? WithKey(X509Certificate2 certificate, string keyPem, out string? error)
    {
        error = null;
        if (keyPem.Contains("ENCRYPTED", StringComparison.Ordinal))
        {
            error = "key: encrypted private keys are not accepted; send the key unencrypted (it is encrypted at rest by the gateway)";
            return null;
        }

        var algorithm = certificate.GetKeyAlgorithm();
        try
        {
            switch (algorithm)
            {
                case "1.2.840.113549.1.1.1": // RSA
                    {
                        using var rsa = RSA.Create();
                        rsa.ImportFromPem(keyPem);
                        return Matches(certificate, rsa, out error) ? certificate.CopyWithPrivateKey(rsa) : null;
                    }

                case "1.2.840.10045.2.1": // EC
                    {
                        using var ecdsa = ECDsa.Create();
                        ecdsa.ImportFromPem(keyPem);
                        return Matches(certificate, ecdsa, out error) ? certificate.CopyWithPrivateKey(ecdsa) : null;
                    }

                default:
                    error = $"cert: key algorithm {algorithm} is not supported (RSA and ECDSA are)";
                    return null;
            }
        }
        catch (ArgumentException ex)
        {
            error = $"key: no private key of the certificate's type ({AlgorithmName(algorithm)}) found in the PEM ({ex.Message})";
            return null;
        }
        catch (CryptographicException ex)
        {
            error = $"key: malformed or not an {AlgorithmName(algorithm)} private key ({ex.Message})";
            return null;
        }
    }

    private static bool Matches(X509Certificate2 certificate, AsymmetricAlgorithm key, out string? error)
    {
        var expected = certificate.PublicKey.ExportSubjectPublicKeyInfo();
        var actual = key.ExportSubjectPublicKeyInfo();
        error = CryptographicOperations.FixedTimeEquals(expected, actual) ? null : "key: does not match the certificate (its public key differs)";
        return error is null;
    }

    private static string AlgorithmName(string oid) => oid switch
    {
        "1.2.840.113549.1.1.1" => "RSA",
        "1.2.840.10045.2.1" => "ECDSA",
        _ => oid,
    };

    private static List<X509Certificate2>? Dispose(List<X509Certificate2> chain)
    {
        foreach (var certificate in chain)
        {
            certificate.Dispose();
        }

        return null;
    }

    private static string Time(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
