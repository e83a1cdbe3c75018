using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Slardar.Scriptable.Tests.Certificates;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Routing;

/// <summary><c>"https_redirect": true</c> on real http and https listeners: plain http is sent to https, https is served.</summary>
public sealed class HttpsRedirectTests : IDisposable
{
    private const string Manifest = """
        {"hosts": {
          "secure.example.com": {"upstream": "app", "https_redirect": true},
          "*.wild.example.com": {"upstream": "app", "https_redirect": true},
          "_": {"upstream": "app"}
        }}
        """;

    private readonly TestCertificates _ca = TestCertificates.CreateAuthority();

    public void Dispose() => _ca.Dispose();

    private static Task<TestBackend> EchoBackendAsync() => TestBackend.StartAsync(context =>
        context.Response.WriteAsync($"proto={context.Request.Headers["X-Forwarded-Proto"]}"));

    private static Task<TestGateway> StartAsync(TestBackend backend, string listen) =>
        TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream("app", backend.Address)) { ["Gateway:Listen"] = listen }, Manifest);

    private static HttpClient PlainClient(TestGateway gateway) => new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        BaseAddress = new Uri(gateway.ProxyUrls.First(u => u.StartsWith("http:", StringComparison.Ordinal))),
    };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string host, string pathAndQuery)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.Host = host;
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("body");
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task PlainRequest_ToARedirectingHost_Is301ToHttpsWithHostPathQueryAndTheHttpsListenersPort()
    {
        await using var backend = await EchoBackendAsync();
        await using var gateway = await StartAsync(backend, "http://127.0.0.1:0;https://127.0.0.1:0");
        var httpsPort = TlsClient.PortOf(gateway.ProxyUrls.First(u => u.StartsWith("https:", StringComparison.Ordinal)));
        using var client = PlainClient(gateway);

        using var get = await SendAsync(client, HttpMethod.Get, "secure.example.com:8080", "/a/b%20c/%E4%BD%A0?x=1&y=%2F&z");
        using var post = await SendAsync(client, HttpMethod.Post, "api.wild.example.com", "/upload");

        Assert.Equal(HttpStatusCode.MovedPermanently, get.StatusCode);
        Assert.Equal($"https://secure.example.com:{httpsPort}/a/b%20c/%E4%BD%A0?x=1&y=%2F&z", get.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.MovedPermanently, post.StatusCode);
        Assert.Equal($"https://api.wild.example.com:{httpsPort}/upload", post.Headers.Location!.OriginalString);
        Assert.Equal(0, backend.Requests);
    }

    [Fact]
    public async Task HttpsRequest_ToARedirectingHost_IsProxied_AndOtherHostsStayOnPlainHttp()
    {
        await using var backend = await EchoBackendAsync();
        await using var gateway = await StartAsync(backend, "http://127.0.0.1:0;https://127.0.0.1:0");
        var issued = _ca.Issue(["secure.example.com"]);
        var body = new JsonObject { ["cert"] = issued.Chain, ["key"] = issued.Key, ["hosts"] = new JsonArray("secure.example.com") }.ToJsonString();
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/cert/secure", body)).Status);
        var httpsPort = TlsClient.PortOf(gateway.ProxyUrls.First(u => u.StartsWith("https:", StringComparison.Ordinal)));
        using var tls = TlsClient.Create(httpsPort, _ca);
        using var plain = PlainClient(gateway);

        using var secure = await tls.GetAsync($"https://secure.example.com:{httpsPort}/a?b=1");
        using var other = await SendAsync(plain, HttpMethod.Get, "other.example.com", "/a");

        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Equal("proto=https", await secure.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("proto=http", await other.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PlainRequest_WithNoHttpsListener_RedirectsToTheDefaultPort()
    {
        // TLS terminated in front of the gateway (a load balancer on 443): the Location carries no port.
        await using var backend = await EchoBackendAsync();
        await using var gateway = await StartAsync(backend, "http://127.0.0.1:0");
        using var client = PlainClient(gateway);

        using var response = await SendAsync(client, HttpMethod.Get, "secure.example.com", "/x?y=1");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("https://secure.example.com/x?y=1", response.Headers.Location!.OriginalString);
    }
}
