using Slardar.Scriptable.Host.Certificates;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Certificates;

/// <summary>Which certificate a handshake gets for its server name.</summary>
public sealed class CertificateSnapshotTests : IDisposable
{
    private readonly TestCertificates _ca = TestCertificates.CreateAuthority();
    private readonly CertificateSnapshot _snapshot;

    public CertificateSnapshotTests()
    {
        _snapshot = new CertificateSnapshot([
            Served("exact", ["www.example.com"], "www.example.com"),
            Served("wild", ["*.example.com"], "*.example.com"),
            Served("fallback", ["other.test"], "_"),
        ]);
    }

    public void Dispose() => _ca.Dispose();

    private ServedCertificate Served(string name, string[] sans, params string[] hosts)
    {
        var issued = _ca.Issue(sans);
        return CertificateParser.Parse(name, issued.Chain, issued.Key, hosts, "api", DateTimeOffset.UtcNow).Certificate
            ?? throw new InvalidOperationException("test certificate refused");
    }

    [Theory]
    [InlineData("www.example.com", "exact")]
    [InlineData("WWW.Example.COM.", "exact")]
    [InlineData("api.example.com", "wild")]
    [InlineData("a.b.example.com", "fallback")]
    [InlineData("example.com", "fallback")]
    [InlineData("unknown.test", "fallback")]
    [InlineData(null, "fallback")]
    [InlineData("", "fallback")]
    public void Select_ExactThenOneLabelWildcardThenDefault(string? serverName, string expected)
    {
        Assert.Equal(expected, _snapshot.Select(serverName)?.Name);
    }

    [Fact]
    public void Select_NoDefault_GivesNothingForUnknownNames()
    {
        var snapshot = new CertificateSnapshot(_snapshot.All.Where(c => c.Name != "fallback"));

        Assert.Null(snapshot.Select("unknown.test"));
        Assert.Null(snapshot.Select(null));
    }
}
