using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Certificates;

/// <summary><c>GET /cert/&lt;name&gt;/versions</c> and <c>POST /cert/&lt;name&gt;/rollback?version=n</c>: old chains come back with their keys, which never come out.</summary>
public sealed class CertificateVersionTests : IDisposable
{
    private readonly TestCertificates _ca = TestCertificates.CreateAuthority();

    public void Dispose() => _ca.Dispose();

    private static string Body(IssuedCertificate issued, string host) => new JsonObject
    {
        ["cert"] = issued.Chain,
        ["key"] = issued.Key,
        ["hosts"] = new JsonArray(host),
    }.ToJsonString();

    private static async Task<(TestBackend Backend, TestGateway Gateway)> StartAsync(TimeProvider? clock = null, string? folder = null)
    {
        var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("app", backend.Address)) { ["Gateway:Listen"] = "https://127.0.0.1:0" };
        var gateway = await TestGateway.StartAsync(
            settings,
            """{"hosts": {"_": {"upstream": "app"}}}""",
            clock is null ? null : services => services.AddSingleton(clock),
            folder);
        return (backend, gateway);
    }

    private static int Port(TestGateway gateway) => TlsClient.PortOf(gateway.ProxyUrls[0]);

    [Fact]
    public async Task Rollback_ServesTheEarlierCertificateWithItsKey_AsANewVersion_AndVersionsNeverShowAKey()
    {
        var (backend, gateway) = await StartAsync();
        await using var _ = backend;
        await using var __ = gateway;
        var first = _ca.Issue(["a.example.com"]);
        var second = _ca.Issue(["a.example.com"]);
        await gateway.AdminAsync(HttpMethod.Post, "/cert/site", Body(first, "a.example.com"));
        await gateway.AdminAsync(HttpMethod.Post, "/cert/site", Body(second, "a.example.com"));
        Assert.Equal(second.Sha256, (await TlsClient.HandshakeAsync(Port(gateway), "a.example.com", _ca)).Sha256);

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/cert/site/rollback?version=1");

        Assert.Equal(200, status);
        Assert.Equal(3, json!["version"]!.GetValue<int>());
        Assert.Equal(first.Sha256, (await TlsClient.HandshakeAsync(Port(gateway), "a.example.com", _ca)).Sha256);
        var versions = await gateway.Admin.GetStringAsync("/cert/site/versions");
        Assert.DoesNotContain("PRIVATE KEY", versions, StringComparison.Ordinal);
        Assert.DoesNotContain("key_sealed", versions, StringComparison.Ordinal);
        var list = JsonNode.Parse(versions)!["versions"]!.AsArray();
        Assert.Equal([3, 2, 1], list.Select(v => v!["version"]!.GetValue<int>()));
        Assert.Equal("rollback", list[0]!["origin"]!.GetValue<string>());
        Assert.Equal(first.Chain.Trim(), list[0]!["content"]!["cert"]!.GetValue<string>().Trim());
        var (_, certs) = await gateway.AdminAsync(HttpMethod.Get, "/certs");
        Assert.Equal(3, certs!["certificates"]![0]!["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Rollback_AfterADelete_RestoresTheCertificate_AndRefusesTheDeletionItself()
    {
        var (backend, gateway) = await StartAsync();
        await using var _ = backend;
        await using var __ = gateway;
        var first = _ca.Issue(["a.example.com"]);
        await gateway.AdminAsync(HttpMethod.Post, "/cert/site", Body(first, "a.example.com"));
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Delete, "/cert/site")).Status);

        var (deletionStatus, deletion) = await gateway.AdminAsync(HttpMethod.Post, "/cert/site/rollback?version=2");
        var (status, _) = await gateway.AdminAsync(HttpMethod.Post, "/cert/site/rollback?version=1");

        Assert.Equal(400, deletionStatus);
        Assert.Equal("version 2 of certificate site is a deletion", deletion!["msg"]!.GetValue<string>());
        Assert.Equal(200, status);
        Assert.Equal(first.Sha256, (await TlsClient.HandshakeAsync(Port(gateway), "a.example.com", _ca)).Sha256);
    }

    [Theory]
    [InlineData("/cert/site/rollback", 400, "rollback needs ?version=<n> with n >= 1")]
    [InlineData("/cert/site/rollback?version=0", 400, "rollback needs ?version=<n> with n >= 1")]
    [InlineData("/cert/site/rollback?version=-1", 400, "rollback needs ?version=<n> with n >= 1")]
    [InlineData("/cert/site/rollback?version=99999999999999", 400, "rollback needs ?version=<n> with n >= 1")]
    [InlineData("/cert/site/rollback?version=9", 400, "certificate site has no version 9")]
    [InlineData("/cert/nothing/rollback?version=1", 400, "certificate nothing has no version 1")]
    public async Task Rollback_BadVersion_IsRefusedNamingIt_AndChangesNothing(string path, int expected, string message)
    {
        var (backend, gateway) = await StartAsync();
        await using var _ = backend;
        await using var __ = gateway;
        var first = _ca.Issue(["a.example.com"]);
        await gateway.AdminAsync(HttpMethod.Post, "/cert/site", Body(first, "a.example.com"));

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, path);

        Assert.Equal(expected, status);
        Assert.StartsWith(message, json!["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(JsonNode.Parse(await gateway.Admin.GetStringAsync("/cert/site/versions"))!["versions"]!.AsArray());
        Assert.Equal(404, (await gateway.AdminAsync(HttpMethod.Get, "/cert/nothing/versions")).Status);
    }

    [Fact]
    public async Task Rollback_ToACertificateExpiredSince_Is400_AndTheCurrentOneKeepsServing()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var (backend, gateway) = await StartAsync(clock);
        await using var _ = backend;
        await using var __ = gateway;
        var shortLived = _ca.Issue(["a.example.com"], notAfter: DateTimeOffset.UtcNow.AddDays(1));
        var renewed = _ca.Issue(["a.example.com"], notAfter: DateTimeOffset.UtcNow.AddDays(90));
        await gateway.AdminAsync(HttpMethod.Post, "/cert/site", Body(shortLived, "a.example.com"));
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/cert/site", Body(renewed, "a.example.com"))).Status);

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/cert/site/rollback?version=1");

        Assert.Equal(400, status);
        Assert.StartsWith("version 1 is no longer valid: cert: expired on", json!["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(renewed.Sha256, (await TlsClient.HandshakeAsync(Port(gateway), "a.example.com", _ca)).Sha256);
    }

    [Fact]
    public async Task Rollback_AfterARestart_StillHasTheOldKey()
    {
        var folder = Directory.CreateTempSubdirectory("slardar-cert-versions-").FullName;
        var first = _ca.Issue(["a.example.com"]);
        var (backend, gateway) = await StartAsync(folder: folder);
        await using var _ = backend;
        await gateway.AdminAsync(HttpMethod.Post, "/cert/site", Body(first, "a.example.com"));
        await gateway.AdminAsync(HttpMethod.Post, "/cert/site", Body(_ca.Issue(["a.example.com"]), "a.example.com"));
        await gateway.StopAsync();

        var (backend2, restarted) = await StartAsync(folder: folder);
        await using var __ = backend2;
        await using var ___ = restarted;
        Assert.Equal(200, (await restarted.AdminAsync(HttpMethod.Post, "/cert/site/rollback?version=1")).Status);
        Assert.Equal(first.Sha256, (await TlsClient.HandshakeAsync(Port(restarted), "a.example.com", _ca)).Sha256);
    }
}
