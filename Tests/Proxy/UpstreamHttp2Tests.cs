using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Probes;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Proxy;

/// <summary><c>"http2": true</c> on an upstream: real Kestrel backends see HTTP/2, by ALPN over TLS and as h2c over plain TCP.</summary>
public sealed class UpstreamHttp2Tests : IDisposable
{
    private readonly TestCertificates _ca = TestCertificates.CreateAuthority();

    public void Dispose() => _ca.Dispose();

    /// <summary>A Kestrel backend on 127.0.0.1:0 answering with the protocol and body length it saw.</summary>
    private static async Task<(WebApplication App, int Port)> BackendAsync(HttpProtocols protocols, IssuedCertificate? tls = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = protocols;
            if (tls is not null)
            {
                listen.UseHttps(X509Certificate2.CreateFromPem(tls.Chain, tls.Key));
            }
        }));
        var app = builder.Build();
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            await context.Response.WriteAsync($"{context.Request.Protocol} host={context.Request.Host} body={body.Length}");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address).Port);
    }

    private string Upstream(int port, bool tls, bool http2) =>
        new JsonObject
        {
            ["servers"] = new JsonArray(new JsonObject { ["host"] = "127.0.0.1", ["port"] = port }),
            ["try"] = 1,
            ["http2"] = http2,
        }.ToJsonString()[..^1] + (tls ? $",\"scheme\":\"https\",\"sni\":\"backend.test\",\"ca\":{JsonValue.Create(_ca.AuthorityPem)!.ToJsonString()}}}" : "}");

    private static Task<TestGateway> StartAsync() => TestGateway.StartAsync(manifest: """{"hosts": {"_": {"upstream": "app"}}}""");

    [Fact]
    public async Task Http2Upstream_OverTls_ReachesTheBackendAsHttp2ByAlpn_WithHostAndBody()
    {
        var (backend, port) = await BackendAsync(HttpProtocols.Http1AndHttp2, _ca.Issue(["backend.test"]));
        await using var _ = backend;
        await using var gateway = await StartAsync();
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/upstream/app", Upstream(port, tls: true, http2: true))).Status);

        using var get = await gateway.GetAsync("site.example.com", "/x");
        using var post = await gateway.SendAsync("site.example.com", HttpMethod.Post, "/upload", new ByteArrayContent(new byte[200_000]));

        Assert.True(get.StatusCode == HttpStatusCode.OK, await get.Content.ReadAsStringAsync());
        Assert.Equal("HTTP/2 host=site.example.com body=0", await get.Content.ReadAsStringAsync());
        Assert.Equal("HTTP/2 host=site.example.com body=200000", await post.Content.ReadAsStringAsync());
        var (_, config) = await gateway.AdminAsync(HttpMethod.Get, "/upstream/app");
        Assert.True(config!["http2"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Http2Upstream_Plain_IsH2cWithPriorKnowledge()
    {
        var (backend, port) = await BackendAsync(HttpProtocols.Http2);
        await using var _ = backend;
        await using var gateway = await StartAsync();
        await gateway.AdminAsync(HttpMethod.Post, "/upstream/app", Upstream(port, tls: false, http2: true));

        using var response = await gateway.GetAsync("site.example.com", "/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("HTTP/2 host=site.example.com body=0", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ContentScriptCall_ToAnHttp2Upstream_IsHttp2Too(bool tls)
    {
        var (backend, port) = tls ? await BackendAsync(HttpProtocols.Http1AndHttp2, _ca.Issue(["backend.test"])) : await BackendAsync(HttpProtocols.Http2);
        await using var _ = backend;
        await using var gateway = await TestGateway.StartAsync(manifest: """{"hosts": {"content.test": {}}}""");
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/upstream/app", Upstream(port, tls, http2: true))).Status);
        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/script/content.test/content", """
            return Respond(await Http.SendAsync("app", new UpstreamRequest("POST", "/c") { Body = "12345" }));
            """);
        Assert.True(status == 200, json?.ToJsonString());

        using var response = await gateway.GetAsync("content.test", "/");

        Assert.Equal("HTTP/2 host=127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + " body=5", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UpstreamWithoutHttp2_StaysHttp11_EvenWhenThePeerOffersH2()
    {
        var (backend, port) = await BackendAsync(HttpProtocols.Http1AndHttp2, _ca.Issue(["backend.test"]));
        await using var _ = backend;
        await using var gateway = await StartAsync();
        await gateway.AdminAsync(HttpMethod.Post, "/upstream/app", Upstream(port, tls: true, http2: false));

        using var response = await gateway.GetAsync("site.example.com", "/");

        Assert.Equal("HTTP/1.1 host=site.example.com body=0", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Http2Upstream_PeerThatRefusesH2_Is502NamingAlpn_NeverASilentDowngrade()
    {
        var (backend, port) = await BackendAsync(HttpProtocols.Http1, _ca.Issue(["backend.test"]));
        await using var _ = backend;
        await using var gateway = await StartAsync();
        await gateway.AdminAsync(HttpMethod.Post, "/upstream/app", Upstream(port, tls: true, http2: true));

        using var response = await gateway.GetAsync("site.example.com", "/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task HealthCheck_ConnectOnly_OffersH2LikeTraffic_SoAnH2OnlyPeerIsOk_AndAnHttp1OnlyPeerIsNot()
    {
        var (h2Only, h2Port) = await BackendAsync(HttpProtocols.Http2, _ca.Issue(["backend.test"]));
        var (h1Only, h1Port) = await BackendAsync(HttpProtocols.Http1, _ca.Issue(["backend.test"]));
        await using var _ = h2Only;
        await using var __ = h1Only;
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(_ca.AuthorityPem);
        var settings = new ProbeSettings { Tls = new UpstreamTlsConfig("backend.test", _ca.AuthorityPem, verify: true, roots), Http2 = true };

        var ok = await new TcpProbe().ProbeAsync("127.0.0.1", h2Port, settings, CancellationToken.None);
        var refused = await new TcpProbe().ProbeAsync("127.0.0.1", h1Port, settings, CancellationToken.None);

        Assert.Equal(PeerHealthStatus.Ok, ok.Status);
        Assert.Equal(PeerHealthStatus.Err, refused.Status);
        Assert.StartsWith("tls: ", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("1")]
    public async Task Http2Field_NotABoolean_Is400(string value)
    {
        await using var gateway = await StartAsync();

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/upstream/app", $$"""{"servers":[{"host":"127.0.0.1","port":1}],"http2":{{value}}}""");

        Assert.Equal(400, status);
        Assert.Contains("http2", json!["msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
