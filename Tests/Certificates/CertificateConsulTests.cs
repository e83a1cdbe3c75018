using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Tests.Consul;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Certificates;

/// <summary>Certificates replicated through Consul: posted on one gateway, served by every gateway with the same protection key; the key never travels in clear.</summary>
public sealed class CertificateConsulTests : IDisposable
{
    private readonly TestCertificates _ca = TestCertificates.CreateAuthority();

    public void Dispose() => _ca.Dispose();

    private static Dictionary<string, string?> Settings(string key) => new()
    {
        ["Gateway:Listen"] = "https://127.0.0.1:0",
        ["Certificates:ProtectionKey"] = key,
    };

    [Fact]
    public async Task PostOnOneGateway_ServesOnBoth_AndConsulHoldsOnlyTheSealedKey()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var consul = await ConsulDouble.StartAsync();
        await using var a = await ConsulGateways.StartAsync(consul, settings: Settings(key));
        await using var b = await ConsulGateways.StartAsync(consul, settings: Settings(key));
        var issued = _ca.Issue(["a.example.com"]);
        var body = new JsonObject { ["cert"] = issued.Chain, ["key"] = issued.Key, ["hosts"] = new JsonArray("a.example.com") }.ToJsonString();

        var (status, _) = await a.AdminAsync(HttpMethod.Post, "/cert/site", body);

        Assert.Equal(200, status);
        var stored = consul.Get(ConsulGateways.Prefix + "certificates/site");
        Assert.NotNull(stored);
        Assert.DoesNotContain("PRIVATE KEY", stored, StringComparison.Ordinal);
        Assert.Contains("key_sealed", stored, StringComparison.Ordinal);
        Assert.Equal(issued.Sha256, (await TlsClient.HandshakeAsync(TlsClient.PortOf(a.ProxyUrls[0]), "a.example.com", _ca)).Sha256);
        await Poll.UntilAsync(
            async () => { try { return (await TlsClient.HandshakeAsync(TlsClient.PortOf(b.ProxyUrls[0]), "a.example.com", _ca)).Sha256; } catch (IOException) { return ""; } },
            sha256 => sha256 == issued.Sha256,
            ConsulGateways.Limit,
            "the other gateway to serve the certificate posted on the first");

        Assert.Equal(200, (await b.AdminAsync(HttpMethod.Delete, "/cert/site")).Status);
        Assert.Null(consul.Get(ConsulGateways.Prefix + "certificates/site"));
    }

    [Fact]
    public async Task Rollback_ThroughConsul_ServesTheOldCertificateOnBothGateways()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var consul = await ConsulDouble.StartAsync();
        await using var a = await ConsulGateways.StartAsync(consul, settings: Settings(key));
        await using var b = await ConsulGateways.StartAsync(consul, settings: Settings(key));
        var first = _ca.Issue(["a.example.com"]);
        var second = _ca.Issue(["a.example.com"]);
        foreach (var issued in new[] { first, second })
        {
            var body = new JsonObject { ["cert"] = issued.Chain, ["key"] = issued.Key, ["hosts"] = new JsonArray("a.example.com") }.ToJsonString();
            Assert.Equal(200, (await a.AdminAsync(HttpMethod.Post, "/cert/site", body)).Status);
        }

        var (status, _) = await a.AdminAsync(HttpMethod.Post, "/cert/site/rollback?version=1");

        Assert.Equal(200, status);
        Assert.DoesNotContain("PRIVATE KEY", consul.Get(ConsulGateways.Prefix + "certificates/site"), StringComparison.Ordinal);
        Assert.Equal(first.Sha256, (await TlsClient.HandshakeAsync(TlsClient.PortOf(a.ProxyUrls[0]), "a.example.com", _ca)).Sha256);
        await Poll.UntilAsync(
            async () => { try { return (await TlsClient.HandshakeAsync(TlsClient.PortOf(b.ProxyUrls[0]), "a.example.com", _ca)).Sha256; } catch (IOException) { return ""; } },
            sha256 => sha256 == first.Sha256,
            ConsulGateways.Limit,
            "the other gateway to serve the rolled-back certificate");
    }

    [Fact]
    public async Task Post_WithConsulButNoConfiguredProtectionKey_Is400()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var a = await ConsulGateways.StartAsync(consul, settings: new Dictionary<string, string?> { ["Gateway:Listen"] = "https://127.0.0.1:0" });
        var issued = _ca.Issue(["a.example.com"]);
        var body = new JsonObject { ["cert"] = issued.Chain, ["key"] = issued.Key, ["hosts"] = new JsonArray("a.example.com") }.ToJsonString();

        var (status, json) = await a.AdminAsync(HttpMethod.Post, "/cert/site", body);

        Assert.Equal(400, status);
        Assert.StartsWith("Consul is configured but Certificates:ProtectionKey is not", json!["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
