using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Certificates;

/// <summary>An https:// proxy listener over real loopback handshakes: certificates posted live, chosen by SNI, HTTP/2 by ALPN.</summary>
public sealed class TlsListenerTests : IDisposable
{
    private readonly TestCertificates _ca = TestCertificates.CreateAuthority();

    public void Dispose() => _ca.Dispose();

    private static string Body(IssuedCertificate issued, params string[] hosts) => new JsonObject
    {
        ["cert"] = issued.Chain,
        ["key"] = issued.Key,
        ["hosts"] = new JsonArray([.. hosts.Select(h => (JsonNode)JsonValue.Create(h))]),
    }.ToJsonString();

    private static async Task<TestBackend> EchoBackendAsync() => await TestBackend.StartAsync(context =>
        context.Response.WriteAsync($"{context.Request.Protocol} proto={context.Request.Headers["X-Forwarded-Proto"]} host={context.Request.Host}"));

    private static Task<TestGateway> StartAsync(TestBackend backend, string listen = "https://127.0.0.1:0", params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("app", backend.Address)) { ["Gateway:Listen"] = listen };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return TestGateway.StartAsync(settings, manifest: """{"hosts": {"_": {"upstream": "app"}}}""");
    }

    private static int HttpsPort(TestGateway gateway) => TlsClient.PortOf(gateway.ProxyUrls.First(u => u.StartsWith("https:", StringComparison.Ordinal)));

    [Fact]
    public async Task PostCertificate_NextHandshakeServesIt_AndRequestsProxyOverHttp2()
    {
        await using var backend = await EchoBackendAsync();
        await using var gateway = await StartAsync(backend);
        var issued = _ca.Issue(["a.example.com"]);

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/cert/site", Body(issued, "a.example.com"));
        Assert.Equal(200, status);
        Assert.Equal(1, json!["version"]!.GetValue<int>());

        var port = HttpsPort(gateway);
        var (sha256, alpn) = await TlsClient.HandshakeAsync(port, "a.example.com", _ca);
        Assert.Equal(issued.Sha256, sha256);
        Assert.Equal("h2", alpn);

        using var client = TlsClient.Create(port, _ca);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://a.example.com:{port}/x") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal($"HTTP/1.1 proto=https host=a.example.com:{port}", await response.Content.ReadAsStringAsync());

        using var http11 = new HttpRequestMessage(HttpMethod.Get, $"https://a.example.com:{port}/x") { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response11 = await client.SendAsync(http11);
        Assert.Equal(HttpVersion.Version11, response11.Version);
    }

    [Fact]
    public async Task Handshake_ChoosesExactThenWildcardThenDefault_BySni()
    {
        await using var backend = await EchoBackendAsync();
        await using var gateway = await StartAsync(backend);
        var exact = _ca.Issue(["www.example.com"]);
        var wildcard = _ca.Issue(["*.example.com"]);
        var fallback = _ca.Issue(["fallback.test"]);
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/cert/exact", Body(exact, "www.example.com"))).Status);
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/cert/wild", Body(wildcard, "*.example.com"))).Status);
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/cert/fallback", Body(fallback, "fallback.test", "_"))).Status);
        var port = HttpsPort(gateway);

        Assert.Equal(exact.Sha256, (await TlsClient.HandshakeAsync(port, "www.example.com", _ca)).Sha256);
        Assert.Equal(wildcard.Sha256, (await TlsClient.HandshakeAsync(port, "api.example.com", _ca)).Sha256);
        Assert.Equal(fallback.Sha256, (await TlsClient.HandshakeAsync(port, "fallback.test", _ca)).Sha256);
    }

    [Fact]
    public async Task Handshake_ForANameNoCertificateServes_IsRefused()
    {
        await using var backend = await EchoBackendAsync();
        await using var gateway = await StartAsync(backend);
        await gateway.AdminAsync(HttpMethod.Post, "/cert/site", Body(_ca.Issue(["a.example.com"]), "a.example.com"));

        await Assert.ThrowsAnyAsync<IOException>(() => TlsClient.HandshakeAsync(HttpsPort(gateway), "other.example.com", _ca));
    }

    [Fact]
    public async Task RepostSameName_RotatesOnTheNextHandshake_WithZeroFailedHandshakesUnderLoad()
    {
        await using var backend = await EchoBackendAsync();
        await using var gateway = await StartAsync(backend);
        var first = _ca.Issue(["a.example.com"]);
        await gateway.AdminAsync(HttpMethod.Post, "/cert/site", Body(first, "a.example.com"));
        var port = HttpsPort(gateway);
        using var client = TlsClient.Create(port, _ca);
        using var before = await client.GetAsync($"https://a.example.com:{port}/");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var failures = 0;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var (sha256, _) = await TlsClient.HandshakeAsync(port, "a.example.com", _ca);
                    seen.AddOrUpdate(sha256, 1, (_, n) => n + 1);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToList();

        var rotations = Enumerable.Range(0, 5).Select(_ => _ca.Issue(["a.example.com"])).ToList();
        foreach (var next in rotations)
        {
            Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/cert/site", Body(next, "a.example.com"))).Status);
            Assert.Equal(next.Sha256, (await TlsClient.HandshakeAsync(port, "a.example.com", _ca)).Sha256);
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);
        Assert.Equal(0, failures);
        Assert.True(seen.Count >= 2, $"handshakes saw {seen.Count} certificates");

        // The connection opened before the rotations still serves.
        using var after = await client.GetAsync($"https://a.example.com:{port}/");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task BadInput_Is400NamingTheProblem_AndChangesNothing()
    {
        await using var backend = await EchoBackendAsync();
        await using var gateway = await StartAsync(backend);
        var good = _ca.Issue(["a.example.com"]);
        await gateway.AdminAsync(HttpMethod.Post, "/cert/site", Body(good, "a.example.com"));
        var other = _ca.Issue(["a.example.com"]);
        var expired = _ca.Issue(["a.example.com"], DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1));

        (string Body, string Message)[] cases =
        [
            (Body(good with { Key = other.Key }, "a.example.com"), "key: does not match the certificate"),
            (Body(expired, "a.example.com"), "cert: expired on "),
            (Body(good, "b.example.com"), "hosts: \"b.example.com\" is not covered"),
            (Body(good with { Chain = "garbage" }, "a.example.com"), "cert: no PEM certificate found"),
            ("not json", "body: malformed JSON"),
            ("""{"cert": "x", "key": "y", "hosts": ["a.example.com"], "extra": 1}""", "body: unknown field extra"),
            ("""{"cert": 1}""", "cert: must be a string"),
            (Body(good, [.. Enumerable.Range(0, 10_000).Select(i => $"h{i}.example.com")]), "hosts: more than 1000 patterns"),
            (new string('x', 2 * 1024 * 1024), "body too big"),
        ];
        foreach (var (body, message) in cases)
        {
            var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/cert/site", body);
            Assert.Equal(400, status);
            Assert.StartsWith(message, json!["msg"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var (_, list) = await gateway.AdminAsync(HttpMethod.Get, "/certs");
        var only = Assert.Single(list!["certificates"]!.AsArray());
        Assert.Equal(1, only!["version"]!.GetValue<int>());
        Assert.Equal(good.Sha256, (await TlsClient.HandshakeAsync(HttpsPort(gateway), "a.example.com", _ca)).Sha256);
    }

    [Fact]
    public async Task Post_PatternHeldByAnotherCertificate_Is409()
    {
        await using var backend = await EchoBackendAsync();
        await using var gateway = await StartAsync(backend);
        var issued = _ca.Issue(["a.example.com"]);
        await gateway.AdminAsync(HttpMethod.Post, "/cert/one", Body(issued, "a.example.com"));

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/cert/two", Body(_ca.Issue(["a.example.com"]), "a.example.com"));

        Assert.Equal(409, status);
        Assert.Equal("hosts: \"a.example.com\" is already served by certificate one; remove it there first", json!["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConcurrentPosts_AllLand_AndTheListShowsEveryOne()
    {
        await using var backend = await EchoBackendAsync();
        await using var gateway = await StartAsync(backend);
        var issued = Enumerable.Range(0, 20).Select(i => (Name: $"c{i}", Cert: _ca.Issue([$"h{i}.example.com"]))).ToList();
        var sameName = Enumerable.Range(0, 10).Select(_ => _ca.Issue(["same.example.com"])).ToList();

        var answers = await Task.WhenAll(
            issued.Select(c => gateway.AdminAsync(HttpMethod.Post, $"/cert/{c.Name}", Body(c.Cert, $"h{c.Name[1..]}.example.com")))
                .Concat(sameName.Select(c => gateway.AdminAsync(HttpMethod.Post, "/cert/same", Body(c, "same.example.com")))));

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        var (_, list) = await gateway.AdminAsync(HttpMethod.Get, "/certs");
        Assert.Equal(21, list!["certificates"]!.AsArray().Count);
        var served = (await TlsClient.HandshakeAsync(HttpsPort(gateway), "same.example.com", _ca)).Sha256;
        var listed = list["certificates"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "same")!["sha256"]!.GetValue<string>();
        Assert.Equal(listed, served);
        Assert.Contains(sameName, c => c.Sha256 == served);
    }

    [Fact]
    public async Task Delete_TheNextHandshakeForItsNameIsRefused()
    {
        await using var backend = await EchoBackendAsync();
        await using var gateway = await StartAsync(backend);
        await gateway.AdminAsync(HttpMethod.Post, "/cert/site", Body(_ca.Issue(["a.example.com"]), "a.example.com"));

        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Delete, "/cert/site")).Status);
        Assert.Equal(404, (await gateway.AdminAsync(HttpMethod.Delete, "/cert/site")).Status);

        await Assert.ThrowsAnyAsync<IOException>(() => TlsClient.HandshakeAsync(HttpsPort(gateway), "a.example.com", _ca));
    }

    [Fact]
    public async Task Certificates_SurviveARestart_WithTheKeySealedOnDiskAndNeverInAnswers()
    {
        await using var backend = await EchoBackendAsync();
        var issued = _ca.Issue(["a.example.com"]);
        var folder = Directory.CreateTempSubdirectory("slardar-tls-restart-").FullName;
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("app", backend.Address)) { ["Gateway:Listen"] = "https://127.0.0.1:0" };
        var first = await TestGateway.StartAsync(settings, manifest: """{"hosts": {"_": {"upstream": "app"}}}""", folder: folder);
        await first.AdminAsync(HttpMethod.Post, "/cert/site", Body(issued, "a.example.com"));
        var listing = await first.Admin.GetStringAsync("/certs");
        var one = await first.Admin.GetStringAsync("/cert/site");
        Assert.DoesNotContain("PRIVATE KEY", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", one, StringComparison.Ordinal);
        Assert.Contains("\"expiring\":false", listing, StringComparison.Ordinal);
        await first.StopAsync();

        foreach (var file in Directory.GetFiles(folder, "slardar.db*"))
        {
            Assert.DoesNotContain("PRIVATE KEY", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }

        await using var restarted = await TestGateway.StartAsync(settings, manifest: """{"hosts": {"_": {"upstream": "app"}}}""", folder: folder);
        Assert.Equal(issued.Sha256, (await TlsClient.HandshakeAsync(HttpsPort(restarted), "a.example.com", _ca)).Sha256);
    }

    [Fact]
    public async Task Http2Cleartext_PlainListenersSpeakPriorKnowledgeHttp2()
    {
        await using var backend = await EchoBackendAsync();
        await using var gateway = await StartAsync(backend, "http://127.0.0.1:0", ("Gateway:Http2Cleartext", "true"));
        using var client = new HttpClient();
        var url = gateway.ProxyUrls[0].Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);

        using var h2 = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact });

        Assert.Equal(HttpVersion.Version20, h2.Version);
        Assert.StartsWith("HTTP/1.1 proto=http", await h2.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileCertificate_IsServed_AndReloadedWhenTheFilesChange()
    {
        await using var backend = await EchoBackendAsync();
        var folder = Directory.CreateTempSubdirectory("slardar-tls-").FullName;
        var first = _ca.Issue(["files.example.com"]);
        await File.WriteAllTextAsync(Path.Combine(folder, "site.crt"), first.Chain);
        await File.WriteAllTextAsync(Path.Combine(folder, "site.key"), first.Key);
        await using var gateway = await StartAsync(
            backend,
            "https://127.0.0.1:0",
            ("Certificates:Files:site:Cert", Path.Combine(folder, "site.crt")),
            ("Certificates:Files:site:Key", Path.Combine(folder, "site.key")),
            ("Certificates:Files:site:Hosts:0", "files.example.com"));
        var port = HttpsPort(gateway);
        Assert.Equal(first.Sha256, (await TlsClient.HandshakeAsync(port, "files.example.com", _ca)).Sha256);

        // A renewal writes both files; a half-written pair in between is refused and the old one serves.
        var second = _ca.Issue(["files.example.com"]);
        await File.WriteAllTextAsync(Path.Combine(folder, "site.crt"), second.Chain);
        await File.WriteAllTextAsync(Path.Combine(folder, "site.key"), second.Key);

        await Poll.UntilAsync(
            async () => (await TlsClient.HandshakeAsync(port, "files.example.com", _ca)).Sha256,
            sha256 => sha256 == second.Sha256,
            TimeSpan.FromSeconds(20),
            "the renewed file certificate");
        var (status, json) = await gateway.AdminAsync(HttpMethod.Delete, "/cert/site");
        Assert.Equal(409, status);
        Assert.Contains("comes from files", json!["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertificateExpiringWithin14Days_ShowsInStatusAndMetrics()
    {
        await using var backend = await EchoBackendAsync();
        await using var gateway = await StartAsync(backend);
        var soon = _ca.Issue(["soon.example.com"], notAfter: DateTimeOffset.UtcNow.AddDays(5));
        var later = _ca.Issue(["later.example.com"]);
        await gateway.AdminAsync(HttpMethod.Post, "/cert/soon", Body(soon, "soon.example.com"));
        await gateway.AdminAsync(HttpMethod.Post, "/cert/later", Body(later, "later.example.com"));

        var (_, status) = await gateway.AdminAsync(HttpMethod.Get, "/status");
        var metrics = await gateway.Admin.GetStringAsync("/metrics");

        var expiring = Assert.Single(status!["certificates"]!["expiring"]!.AsArray());
        Assert.Equal("soon", expiring!["name"]!.GetValue<string>());
        Assert.Equal(2, status["certificates"]!["count"]!.GetValue<int>());
        Assert.Contains("slardar_tls_certificates_expiring 1", metrics, StringComparison.Ordinal);
        Assert.Contains("slardar_tls_certificate_expiry_seconds{", metrics, StringComparison.Ordinal);
    }
}
