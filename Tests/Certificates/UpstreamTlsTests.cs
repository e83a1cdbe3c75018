using System.Net;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Probes;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Certificates;

/// <summary>TLS from the gateway to an upstream: SNI, verification against the system roots or a CA bundle, or none (loud).</summary>
public sealed class UpstreamTlsTests : IDisposable
{
    private readonly TestCertificates _ca = TestCertificates.CreateAuthority();

    public void Dispose() => _ca.Dispose();

    private static string Upstream(int port, string tls) => $$"""{"servers":[{"host":"127.0.0.1","port":{{port}}}],"scheme":"https",{{tls}}}""";

    private string CaJson => JsonValue.Create(_ca.AuthorityPem)!.ToJsonString();

    private static Task<TestGateway> StartAsync() => TestGateway.StartAsync(manifest: """{"hosts": {"_": {"upstream": "app"}}}""");

    [Fact]
    public async Task HttpsUpstream_WithItsCa_IsVerifiedAndGetsTheConfiguredSni()
    {
        await using var backend = await TlsBackend.StartAsync(_ca.Issue(["backend.test"]));
        await using var gateway = await StartAsync();

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/upstream/app", Upstream(backend.Port, $"\"sni\":\"backend.test\",\"ca\":{CaJson}"));
        Assert.Equal(200, status);
        using var response = await gateway.GetAsync("site.example.com", "/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tls=True host=site.example.com", await response.Content.ReadAsStringAsync());
        var (_, upstream) = await gateway.AdminAsync(HttpMethod.Get, "/upstream/app");
        Assert.Equal("https", upstream!["scheme"]!.GetValue<string>());
        Assert.True(upstream["verify"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("\"sni\":\"backend.test\"")]
    [InlineData("\"sni\":\"other.test\",\"ca\":CA")]
    public async Task HttpsUpstream_CertificateNotTrustedOrNotForTheName_Is502(string tls)
    {
        await using var backend = await TlsBackend.StartAsync(_ca.Issue(["backend.test"]));
        await using var gateway = await StartAsync();
        await gateway.AdminAsync(HttpMethod.Post, "/upstream/app", Upstream(backend.Port, tls.Replace("CA", CaJson, StringComparison.Ordinal)));

        using var response = await gateway.GetAsync("site.example.com", "/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task HttpsUpstream_VerifyFalse_ConnectsAndIsListedInStatus()
    {
        await using var backend = await TlsBackend.StartAsync(_ca.Issue(["backend.test"]));
        await using var gateway = await StartAsync();
        await gateway.AdminAsync(HttpMethod.Post, "/upstream/app", Upstream(backend.Port, "\"verify\":false"));

        using var response = await gateway.GetAsync("site.example.com", "/");
        var (_, status) = await gateway.AdminAsync(HttpMethod.Get, "/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("app", Assert.Single(status!["tls_unverified_upstreams"]!.AsArray())!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"servers":[{"host":"127.0.0.1","port":1}],"sni":"a.test"}""", "sni, ca and verify apply to \"scheme\": \"https\" only")]
    [InlineData("""{"servers":[{"host":"127.0.0.1","port":1}],"scheme":"ftp"}""", "scheme: must be \"http\" or \"https\"")]
    [InlineData("""{"servers":[{"host":"127.0.0.1","port":1}],"scheme":"https","ca":"garbage"}""", "ca: no PEM certificate found")]
    [InlineData("""{"servers":[{"host":"127.0.0.1","port":1}],"scheme":"https","sni":"bad name"}""", "sni: must be a host name")]
    public async Task BadTlsFields_Are400(string body, string expected)
    {
        await using var gateway = await StartAsync();

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/upstream/app", body);

        Assert.Equal(400, status);
        Assert.StartsWith(expected, json!["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheck_OfAnHttpsPeer_HandshakesAndJudgesTheCertificate()
    {
        await using var backend = await TlsBackend.StartAsync(_ca.Issue(["backend.test"]));
        var roots = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        roots.ImportFromPem(_ca.AuthorityPem);
        var trusted = new ProbeSettings { Tls = new UpstreamTlsConfig("backend.test", _ca.AuthorityPem, verify: true, roots) };
        var systemRoots = new ProbeSettings { Tls = new UpstreamTlsConfig("backend.test", null, verify: true, null) };
        var http = trusted with { HttpQuery = "GET / HTTP/1.0\r\nHost: backend.test\r\n\r\n" };

        var ok = await new TcpProbe().ProbeAsync("127.0.0.1", backend.Port, trusted, CancellationToken.None);
        var refused = await new TcpProbe().ProbeAsync("127.0.0.1", backend.Port, systemRoots, CancellationToken.None);
        var httpOk = await new HttpProbe().ProbeAsync("127.0.0.1", backend.Port, http, CancellationToken.None);

        Assert.Equal(PeerHealthStatus.Ok, ok.Status);
        Assert.Equal(PeerHealthStatus.Err, refused.Status);
        Assert.StartsWith("tls: ", refused.Message, StringComparison.Ordinal);
        Assert.Equal(PeerHealthStatus.Ok, httpOk.Status);
    }
}
