using System.Text;
using Slardar.Scriptable.Host.Routing;

namespace Slardar.Scriptable.Tests.Routing;

public sealed class ManifestParserTests
{
    private static ManifestParseResult Parse(string json) => ManifestParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_CommentsAndTrailingCommas_AreAccepted()
    {
        var result = Parse("""
            {
              // hand-edited
              "hosts": { "A.Test": { "upstream": "a" }, },
            }
            """);

        Assert.True(result.IsValid, result.Error);
        var binding = Assert.Single(result.Config.Hosts);
        Assert.Equal("a.test", binding.Pattern);
        Assert.Equal("a", binding.Upstream);
    }

    [Fact]
    public void Parse_ScriptOptions_AreReadWithPathsRelativeToTheManifest()
    {
        var result = ManifestParser.Parse(Encoding.UTF8.GetBytes("""
            { "hosts": { "admin.test": { "upstream": "admin", "trusted": true, "https_redirect": true, "budget_ms": 20, "budget_mb": 1.5,
                          "scripts": { "rewrite": "custom/rw.csx", "balancer": "/abs/bal.csx" } } } }
            """), "/srv/gateway");

        Assert.True(result.IsValid, result.Error);
        var binding = Assert.Single(result.Config.Hosts);
        Assert.True(binding.Trusted);
        Assert.True(binding.HttpsRedirect);
        Assert.Equal(TimeSpan.FromMilliseconds(20), binding.Budget);
        Assert.Equal(1536 * 1024, binding.AllocationBudget);
        Assert.Equal("/srv/gateway/custom/rw.csx", binding.ScriptFiles["rewrite"]);
        Assert.Equal("/abs/bal.csx", binding.ScriptFiles["balancer"]);
        Assert.False(binding.ScriptFiles.ContainsKey("auth"));
    }

    [Fact]
    public void Parse_Certificates_AreReadWithPathsRelativeToTheManifest()
    {
        var result = ManifestParser.Parse(Encoding.UTF8.GetBytes("""
            { "certificates": { "site": { "cert": "certs/site.crt", "key": "/etc/keys/site.key", "hosts": ["a.example.com", "*.b.example.com"] } } }
            """), "/srv/gateway");

        Assert.True(result.IsValid, result.Error);
        var certificate = Assert.Single(result.Config.Certificates);
        Assert.Equal("site", certificate.Name);
        Assert.Equal("/srv/gateway/certs/site.crt", certificate.CertificatePath);
        Assert.Equal("/etc/keys/site.key", certificate.KeyPath);
        Assert.Equal(["a.example.com", "*.b.example.com"], certificate.Hosts);
        Assert.Equal("scripts.json", certificate.Source);
    }

    [Fact]
    public void Parse_Utf8ByteOrderMark_IsSkipped()
    {
        var json = Encoding.UTF8.GetBytes("""{ "hosts": { "_": { "upstream": "a" } } }""");
        var bytes = Encoding.UTF8.GetPreamble().Concat(json).ToArray();

        var result = ManifestParser.Parse(bytes);

        Assert.True(result.IsValid, result.Error);
    }

    [Theory]
    [InlineData("{", "invalid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{ "host": {} }""", "unknown field \"host\"")]
    [InlineData("""{ "hosts": [] }""", "\"hosts\" must be an object")]
    [InlineData("""{ "hosts": { "a.test": { "https_redirect": "yes" } } }""", "hosts.a.test: \"https_redirect\" must be true or false")]
    [InlineData("""{ "certificates": [] }""", "certificates: must be an object keyed by certificate name")]
    [InlineData("""{ "certificates": { "s": { "cert": "a.crt" } } }""", "certificates: s: needs the paths of a PEM certificate and its PEM key")]
    [InlineData("""{ "certificates": { "s": { "cert": 1, "key": "a.key" } } }""", "certificates: s.cert: must be a file path")]
    [InlineData("""{ "certificates": { "s": { "cert": "a", "key": "b", "hosts": "x" } } }""", "certificates: s.hosts: must be an array of host patterns")]
    [InlineData("""{ "certificates": { "s": { "cert": "a", "key": "b", "sni": [] } } }""", "certificates: s: unknown field \"sni\"")]
    [InlineData("""{ "certificates": { "a b": { "cert": "a", "key": "b" } } }""", "certificates: a b: the name must match")]
    [InlineData("""{ "hosts": { "a.test": { "upstrem": "a" } } }""", "hosts.a.test: unknown field \"upstrem\"")]
    [InlineData("""{ "hosts": { "a.test": { "upstream": 5 } } }""", "hosts.a.test: \"upstream\" must be an upstream name")]
    [InlineData("""{ "hosts": { "a.test": { "upstream": "a/b" } } }""", "hosts.a.test: \"upstream\" must be an upstream name")]
    [InlineData("""{ "hosts": { "a test": {} } }""", "\"a test\" is not a host name")]
    [InlineData("""{ "hosts": { "*.": {} } }""", "\"*.\" is not a host name")]
    [InlineData("""{ "hosts": { "a.*.test": {} } }""", "\"a.*.test\" is not a host name")]
    [InlineData("""{ "hosts": { "a.test": {}, "A.TEST": {} } }""", "\"A.TEST\" is listed twice")]
    [InlineData("""{ "hosts": { "a.test": "a" } }""", "hosts.a.test: must be an object")]
    [InlineData("""{ "hosts": { "a.test": { "trusted": "yes" } } }""", "hosts.a.test: \"trusted\" must be true or false")]
    [InlineData("""{ "hosts": { "a.test": { "budget_ms": 0 } } }""", "hosts.a.test: \"budget_ms\" must be a number of milliseconds")]
    [InlineData("""{ "hosts": { "a.test": { "budget_mb": 0 } } }""", "hosts.a.test: \"budget_mb\" must be a number of MiB")]
    [InlineData("""{ "hosts": { "a.test": { "budget_mb": "64" } } }""", "hosts.a.test: \"budget_mb\" must be a number of MiB")]
    [InlineData("""{ "hosts": { "a.test": { "scripts": { "access": "x.csx" } } } }""", "hosts.a.test: scripts: unknown phase \"access\"")]
    [InlineData("""{ "hosts": { "a.test": { "scripts": { "rewrite": "" } } } }""", "hosts.a.test: scripts.rewrite must be a file path")]
    [InlineData("""{ "hosts": { "a.test": { "scripts": ["x.csx"] } } }""", "hosts.a.test: \"scripts\" must be an object")]
    public void Parse_InvalidManifest_NamesTheProblem(string json, string expected)
    {
        var result = Parse(json);

        Assert.False(result.IsValid);
        Assert.Contains(expected, result.Error);
    }
}
