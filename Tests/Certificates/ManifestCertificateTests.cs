using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Certificates;

/// <summary>Certificates named in scripts.json (<c>"certificates"</c>): served by SNI, reloaded when the files or the manifest change.</summary>
public sealed class ManifestCertificateTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly TestCertificates _ca = TestCertificates.CreateAuthority();
    private readonly string _folder = Directory.CreateTempSubdirectory("slardar-tls-manifest-").FullName;

    public void Dispose() => _ca.Dispose();

    private static string Manifest(params (string Name, string Host)[] certificates)
    {
        var entries = string.Join(", ", certificates.Select(c => $$"""
            "{{c.Name}}": {"cert": "certs/{{c.Name}}.crt", "key": "certs/{{c.Name}}.key", "hosts": ["{{c.Host}}"]}
            """));
        return "{\"hosts\": {\"_\": {\"upstream\": \"app\"}}, \"certificates\": {" + entries + "}}";
    }

    private async Task WriteAsync(string name, IssuedCertificate issued)
    {
        Directory.CreateDirectory(Path.Combine(_folder, "certs"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "certs", name + ".crt"), issued.Chain);
        await File.WriteAllTextAsync(Path.Combine(_folder, "certs", name + ".key"), issued.Key);
    }

    private async Task<(TestBackend Backend, TestGateway Gateway, int Port)> StartAsync(string manifest)
    {
        var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("app", backend.Address)) { ["Gateway:Listen"] = "https://127.0.0.1:0" };
        var gateway = await TestGateway.StartAsync(settings, manifest, folder: _folder);
        return (backend, gateway, TlsClient.PortOf(gateway.ProxyUrls[0]));
    }

    /// <summary>The served leaf's SHA-256, or "refused" when the handshake fails.</summary>
    private async Task<string> ServedAsync(int port, string serverName)
    {
        try
        {
            return (await TlsClient.HandshakeAsync(port, serverName, _ca)).Sha256;
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
        {
            return "refused";
        }
    }

    [Fact]
    public async Task ManifestCertificate_IsServed_AndReloadedWhenItsFilesChange()
    {
        var first = _ca.Issue(["m.example.com"]);
        await WriteAsync("site", first);
        var (backend, gateway, port) = await StartAsync(Manifest(("site", "m.example.com")));
        await using var _ = backend;
        await using var __ = gateway;
        Assert.Equal(first.Sha256, await ServedAsync(port, "m.example.com"));

        var second = _ca.Issue(["m.example.com"]);
        await WriteAsync("site", second);

        await Poll.UntilAsync(() => ServedAsync(port, "m.example.com"), sha256 => sha256 == second.Sha256, Wait, "the renewed certificate");
        var (_, list) = await gateway.AdminAsync(HttpMethod.Get, "/certs");
        var listed = Assert.Single(list!["certificates"]!.AsArray());
        Assert.Equal("file", listed!["origin"]!.GetValue<string>());
        Assert.Equal(Path.Combine(_folder, "certs", "site.crt"), listed["file"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadFile_IsShownInStatus_AndThePreviousCertificateKeepsServing()
    {
        var first = _ca.Issue(["m.example.com"]);
        await WriteAsync("site", first);
        var (backend, gateway, port) = await StartAsync(Manifest(("site", "m.example.com")));
        await using var _ = backend;
        await using var __ = gateway;

        // A renewal that writes a key of another certificate: refused, loudly.
        await File.WriteAllTextAsync(Path.Combine(_folder, "certs", "site.key"), _ca.Issue(["m.example.com"]).Key);

        var status = await Poll.UntilAsync(
            async () => (await gateway.AdminAsync(HttpMethod.Get, "/status")).Json!,
            s => s["certificates"]!["not_loaded"]!["site"] is not null,
            Wait,
            "the bad file in /status");
        Assert.StartsWith("key: does not match the certificate", status["certificates"]!["not_loaded"]!["site"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(first.Sha256, await ServedAsync(port, "m.example.com"));
    }

    [Fact]
    public async Task MissingAndHugeFiles_AreReportedInStatus_AndTheGatewayServesTheOthers()
    {
        var good = _ca.Issue(["m.example.com"]);
        await WriteAsync("site", good);
        Directory.CreateDirectory(Path.Combine(_folder, "certs"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "certs", "huge.crt"), new string('A', 10 * 1024 * 1024));
        await File.WriteAllTextAsync(Path.Combine(_folder, "certs", "huge.key"), good.Key);
        var (backend, gateway, port) = await StartAsync(Manifest(("site", "m.example.com"), ("missing", "n.example.com"), ("huge", "h.example.com")));
        await using var _ = backend;
        await using var __ = gateway;

        var (_, status) = await gateway.AdminAsync(HttpMethod.Get, "/status");

        var notLoaded = status!["certificates"]!["not_loaded"]!;
        Assert.Contains("missing.crt", notLoaded["missing"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("a PEM file is larger than the limits", notLoaded["huge"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(good.Sha256, await ServedAsync(port, "m.example.com"));
    }

    [Fact]
    public async Task ManifestEdit_AddsAndRemovesCertificates_WithoutRestart()
    {
        var first = _ca.Issue(["m.example.com"]);
        var added = _ca.Issue(["n.example.com"]);
        await WriteAsync("site", first);
        await WriteAsync("more", added);
        var (backend, gateway, port) = await StartAsync(Manifest(("site", "m.example.com")));
        await using var _ = backend;
        await using var __ = gateway;
        Assert.Equal("refused", await ServedAsync(port, "n.example.com"));

        await File.WriteAllTextAsync(gateway.ManifestPath, Manifest(("site", "m.example.com"), ("more", "n.example.com")));
        await Poll.UntilAsync(() => ServedAsync(port, "n.example.com"), sha256 => sha256 == added.Sha256, Wait, "the added certificate");

        await File.WriteAllTextAsync(gateway.ManifestPath, Manifest(("more", "n.example.com")));
        await Poll.UntilAsync(() => ServedAsync(port, "m.example.com"), served => served == "refused", Wait, "the removed certificate to stop serving");
        Assert.Equal(added.Sha256, await ServedAsync(port, "n.example.com"));
    }

    [Fact]
    public async Task ManifestName_DeclaredByConfigurationToo_StaysConfigurations_AndIsReported()
    {
        var configured = _ca.Issue(["c.example.com"]);
        var manifest = _ca.Issue(["m.example.com"]);
        await WriteAsync("configured", configured);
        await WriteAsync("site", manifest);
        var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var _ = backend;
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("app", backend.Address))
        {
            ["Gateway:Listen"] = "https://127.0.0.1:0",
            ["Certificates:Files:site:Cert"] = Path.Combine(_folder, "certs", "configured.crt"),
            ["Certificates:Files:site:Key"] = Path.Combine(_folder, "certs", "configured.key"),
            ["Certificates:Files:site:Hosts"] = "c.example.com",
        };
        await using var gateway = await TestGateway.StartAsync(settings, Manifest(("site", "m.example.com")), folder: _folder);
        var port = TlsClient.PortOf(gateway.ProxyUrls[0]);

        Assert.Equal(configured.Sha256, await ServedAsync(port, "c.example.com"));
        Assert.Equal("refused", await ServedAsync(port, "m.example.com"));
        var (_, list) = await gateway.AdminAsync(HttpMethod.Get, "/certs");
        Assert.Contains("declared by Certificates:Files", list!["errors"]!["site"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
