using System.Net;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Tests.Certificates;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Admin;

/// <summary><c>Admin:Listen</c> with https:// and the admin listener's own certificate from PEM files, over real handshakes.</summary>
public sealed class AdminTlsTests : IDisposable
{
    private readonly TestCertificates _ca = TestCertificates.CreateAuthority();
    private readonly string _folder = Directory.CreateTempSubdirectory("slardar-admin-tls-").FullName;

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<Dictionary<string, string?>> SettingsAsync(IssuedCertificate certificate, string? key = null)
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "admin.crt"), certificate.Chain);
        await File.WriteAllTextAsync(Path.Combine(_folder, "admin.key"), key ?? certificate.Key);
        return new Dictionary<string, string?>
        {
            ["Admin:Listen"] = "https://127.0.0.1:0",
            ["Admin:Certificate:Path"] = Path.Combine(_folder, "admin.crt"),
            ["Admin:Certificate:KeyPath"] = Path.Combine(_folder, "admin.key"),
        };
    }

    private static int AdminPort(TestGateway gateway) => TlsClient.PortOf(gateway.Admin.BaseAddress!.ToString());

    [Fact]
    public async Task HttpsAdminListener_ServesTheApiWithItsOwnCertificate_WhateverTheProxyCertificates()
    {
        var adminCertificate = _ca.Issue(["admin.example.com"]);
        await using var gateway = await TestGateway.StartAsync(await SettingsAsync(adminCertificate));
        var port = AdminPort(gateway);
        using var client = TlsClient.Create(port, _ca);

        var (sha256, _) = await TlsClient.HandshakeAsync(port, "admin.example.com", _ca);
        using var status = await client.GetAsync($"https://admin.example.com:{port}/status");

        Assert.Equal(adminCertificate.Sha256, sha256);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);

        // A proxy certificate posted for the admin's name (through the admin API, over TLS) does not take over the admin port.
        var proxyCertificate = _ca.Issue(["admin.example.com"]);
        var body = new JsonObject { ["cert"] = proxyCertificate.Chain, ["key"] = proxyCertificate.Key, ["hosts"] = new JsonArray("admin.example.com", "_") }.ToJsonString();
        using var posted = await client.PostAsync($"https://admin.example.com:{port}/cert/site", new StringContent(body));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(adminCertificate.Sha256, (await TlsClient.HandshakeAsync(port, "admin.example.com", _ca)).Sha256);
        Assert.Equal(adminCertificate.Sha256, (await TlsClient.HandshakeAsync(port, null, _ca)).Sha256);
    }

    [Fact]
    public async Task HttpsAdminListener_PlainHttpClient_GetsNoAnswer()
    {
        await using var gateway = await TestGateway.StartAsync(await SettingsAsync(_ca.Issue(["admin.example.com"])));
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync($"http://127.0.0.1:{AdminPort(gateway)}/status"));
    }

    [Fact]
    public async Task HttpsAdminListener_RenewedFiles_ServeOnTheNextHandshake()
    {
        var first = _ca.Issue(["admin.example.com"]);
        await using var gateway = await TestGateway.StartAsync(await SettingsAsync(first));
        var port = AdminPort(gateway);
        var second = _ca.Issue(["admin.example.com"]);

        await SettingsAsync(second);

        await Poll.UntilAsync(
            async () => (await TlsClient.HandshakeAsync(port, "admin.example.com", _ca)).Sha256,
            sha256 => sha256 == second.Sha256,
            TimeSpan.FromSeconds(20),
            "the renewed admin certificate");
    }

    [Fact]
    public async Task HttpsAdminListener_WithoutCertificate_StopsTheStartNamingTheSettings()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestGateway.StartAsync(new Dictionary<string, string?> { ["Admin:Listen"] = "https://127.0.0.1:0" }));

        Assert.Contains("Admin:Certificate:Path and Admin:Certificate:KeyPath", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpsAdminListener_KeyOfAnotherCertificate_StopsTheStartNamingTheProblem()
    {
        var settings = await SettingsAsync(_ca.Issue(["admin.example.com"]), key: _ca.Issue(["admin.example.com"]).Key);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestGateway.StartAsync(settings));

        Assert.Contains("does not load: key: does not match the certificate", ex.Message, StringComparison.Ordinal);
    }
}
