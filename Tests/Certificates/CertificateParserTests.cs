using System.Security.Cryptography;
using Slardar.Scriptable.Host.Certificates;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Certificates;

/// <summary>What a certificate write must hold before anything serves it; each refusal names its problem.</summary>
public sealed class CertificateParserTests : IDisposable
{
    private readonly TestCertificates _ca = TestCertificates.CreateAuthority();
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public void Dispose() => _ca.Dispose();

    private CertificateParseResult Parse(string? cert, string? key, params string[] hosts) =>
        CertificateParser.Parse("site", cert, key, hosts, "api", _now);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Parse_MatchingPair_GivesNamesDatesAndChain(bool rsa)
    {
        var issued = _ca.Issue(["a.example.com", "*.b.example.com"], rsa: rsa);

        var result = Parse(issued.Chain, issued.Key, "A.example.com.", "*.b.example.com", "x.b.example.com");

        Assert.Null(result.Error);
        var certificate = result.Certificate!;
        Assert.Equal(["a.example.com", "*.b.example.com", "x.b.example.com"], certificate.Hosts.ToArray());
        Assert.Equal(["a.example.com", "*.b.example.com"], certificate.DnsNames.ToArray());
        Assert.Equal(issued.Sha256, certificate.Leaf.GetCertHashString(HashAlgorithmName.SHA256));
        Assert.True(certificate.Leaf.HasPrivateKey);
        Assert.Contains("Slardar Test CA", certificate.Issuer, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KeyOfAnotherCertificate_IsRefusedAsMismatch()
    {
        var one = _ca.Issue(["a.example.com"]);
        var other = _ca.Issue(["a.example.com"]);

        Assert.Equal("key: does not match the certificate (its public key differs)", Parse(one.Chain, other.Key, "a.example.com").Error);
    }

    [Fact]
    public void Parse_RsaKeyForEcdsaCertificate_IsRefusedNamingTheType()
    {
        var ec = _ca.Issue(["a.example.com"]);
        var rsa = _ca.Issue(["a.example.com"], rsa: true);

        Assert.StartsWith("key: malformed or not an ECDSA private key", Parse(ec.Chain, rsa.Key, "a.example.com").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Expired_IsRefusedWithTheDate()
    {
        var issued = _ca.Issue(["a.example.com"], _now.AddDays(-30), _now.AddDays(-1));

        Assert.StartsWith("cert: expired on ", Parse(issued.Chain, issued.Key, "a.example.com").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotYetValid_IsRefused()
    {
        var issued = _ca.Issue(["a.example.com"], _now.AddDays(1), _now.AddDays(30));

        Assert.StartsWith("cert: not valid before ", Parse(issued.Chain, issued.Key, "a.example.com").Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c.example.com")]
    [InlineData("x.y.b.example.com")]
    [InlineData("b.example.com")]
    [InlineData("*.example.com")]
    public void Parse_PatternNoNameCovers_IsRefusedNamingIt(string pattern)
    {
        var issued = _ca.Issue(["a.example.com", "*.b.example.com"]);

        var error = Parse(issued.Chain, issued.Key, "a.example.com", pattern).Error;

        Assert.StartsWith($"hosts: \"{pattern}\" is not covered by the certificate's names (a.example.com, *.b.example.com)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DefaultPattern_NeedsNoCoveringName()
    {
        var issued = _ca.Issue(["a.example.com"]);

        Assert.Null(Parse(issued.Chain, issued.Key, "_").Error);
    }

    [Theory]
    [InlineData("", "cert: missing")]
    [InlineData("garbage", "cert: no PEM certificate found")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "cert: certificate 1 of the chain is malformed")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "cert: a PEM block labelled \"PRIVATE KEY\"")]
    public void Parse_MalformedCertificate_IsRefused(string cert, string expected)
    {
        var issued = _ca.Issue(["a.example.com"]);

        Assert.StartsWith(expected, Parse(cert, issued.Key, "a.example.com").Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "key: missing")]
    [InlineData("not a key", "key: no private key of the certificate's type")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "key: malformed or not an ECDSA private key")]
    [InlineData("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----", "key: encrypted private keys are not accepted")]
    public void Parse_MalformedKey_IsRefused(string key, string expected)
    {
        var issued = _ca.Issue(["a.example.com"]);

        Assert.StartsWith(expected, Parse(issued.Chain, key, "a.example.com").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HugePem_IsRefusedBeforeParsing()
    {
        var issued = _ca.Issue(["a.example.com"]);
        var huge = string.Concat(Enumerable.Repeat(issued.Chain, 200));

        Assert.Equal("cert: larger than 64 KiB", Parse(huge, issued.Key, "a.example.com").Error);
        Assert.Equal("key: larger than 16 KiB", Parse(issued.Chain, new string('A', 20_000), "a.example.com").Error);
    }

    [Fact]
    public void Parse_TenThousandHosts_IsRefusedNamingTheLimit()
    {
        var issued = _ca.Issue(["a.example.com"]);
        var hosts = Enumerable.Range(0, 10_000).Select(i => $"h{i}.example.com").ToArray();

        Assert.Equal("hosts: more than 1000 patterns", Parse(issued.Chain, issued.Key, hosts).Error);
    }

    [Theory]
    [InlineData("10.0.0.1", "is an IP address")]
    [InlineData("a.*.example.com", "is not a host name")]
    [InlineData("*.com", "is not a host name")]
    [InlineData("*", "is not a host name")]
    [InlineData("bad host", "is not a host name")]
    public void Parse_BadPattern_IsRefused(string pattern, string expected)
    {
        var issued = _ca.Issue(["a.example.com"]);

        Assert.Contains(expected, Parse(issued.Chain, issued.Key, pattern).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoHosts_IsRefused()
    {
        var issued = _ca.Issue(["a.example.com"]);

        Assert.StartsWith("hosts: missing", Parse(issued.Chain, issued.Key).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CertificateWithoutSan_FallsBackToItsCommonName()
    {
        var issued = _ca.Issue([], commonName: "legacy.example.com");

        Assert.Null(Parse(issued.Chain, issued.Key, "legacy.example.com").Error);
    }
}
