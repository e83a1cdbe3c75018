using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Proxy;

public abstract class ForwardingTests : ForwarderTests
{
    protected ForwardingTests(string forwarder)
        : base(forwarder)
    {
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Forward_AnyMethod_ArrivesIntactAndAnswerComesBack(string method)
    {
        await using var backend = await TestBackend.StartRecordingAsync(async (context, body) =>
        {
            var request = context.Request;
            context.Response.StatusCode = 201;
            context.Response.Headers["X-Seen"] = $"{request.Method} {request.Path}{request.QueryString} host={request.Host} custom={request.Headers["X-Custom"]} multi={request.Headers["X-Multi"]}";
            context.Response.Headers.Append("Set-Cookie", "a=1");
            context.Response.Headers.Append("Set-Cookie", "b=2");
            await context.Response.Body.WriteAsync(body);
        });
        await using var gateway = await StartGatewayAsync(new Dictionary<string, string?>(TestGateway.Upstream("api.example.com", backend.Address)));

        var payload = method is "GET" or "DELETE" ? [] : Encoding.UTF8.GetBytes($"payload for {method} ✓");
        var request = new HttpRequestMessage(new HttpMethod(method), "/v1/items/%E2%9C%93?q=a%20b&q=c&empty=");
        request.Headers.Host = "api.example.com";
        request.Headers.Add("X-Custom", "value with spaces");
        request.Headers.Add("X-Multi", ["one", "two"]);
        if (payload.Length > 0)
        {
            request.Content = new ByteArrayContent(payload);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(
            $"{method} /v1/items/%E2%9C%93?q=a%20b&q=c&empty= host=api.example.com custom=value with spaces multi=one, two",
            response.Headers.GetValues("X-Seen").Single());
        Assert.Equal(["a=1", "b=2"], response.Headers.GetValues("Set-Cookie"));
        Assert.Equal(payload, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(payload, backend.Bodies.Single());
    }

    [Fact]
    public async Task Forward_ClientSentForwardedFor_AppendsClientAddress()
    {
        await using var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync(context.Request.Headers["X-Forwarded-For"].ToString()));
        await using var gateway = await StartGatewayAsync(new Dictionary<string, string?>(TestGateway.Upstream("a.test", backend.Address)));

        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "a.test";
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal("203.0.113.7, 127.0.0.1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forward_HopByHopHeaders_AreNotPassedOn()
    {
        await using var backend = await TestBackend.StartAsync(context =>
            context.Response.WriteAsync($"keep-alive={context.Request.Headers["Keep-Alive"]};te={context.Request.Headers["TE"]};upgrade={context.Request.Headers["Upgrade"]}"));
        await using var gateway = await StartGatewayAsync(new Dictionary<string, string?>(TestGateway.Upstream("a.test", backend.Address)));

        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "a.test";
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        request.Headers.TryAddWithoutValidation("TE", "gzip");
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal("keep-alive=;te=;upgrade=", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forward_StreamingResponse_ReachesClientBeforePeerFinishes()
    {
        var release = new TaskCompletionSource();
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            await context.Response.WriteAsync("first;");
            await context.Response.Body.FlushAsync();
            await release.Task;
            await context.Response.WriteAsync("second");
        });
        await using var gateway = await StartGatewayAsync(new Dictionary<string, string?>(TestGateway.Upstream("a.test", backend.Address)));

        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "a.test";
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[6];
        await stream.ReadExactlyAsync(buffer);
        Assert.Equal("first;", Encoding.ASCII.GetString(buffer));

        release.SetResult();
        Assert.Equal("second", await new StreamReader(stream).ReadToEndAsync());
    }

    [Fact]
    public async Task Forward_Request_WritesOneAccessLogEventWithSlardarFields()
    {
        await using var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await StartGatewayAsync(new Dictionary<string, string?>(TestGateway.Upstream("log.test", backend.Address)));
        using var probe = new AccessLogProbe(gateway.AccessLog);

        var request = new HttpRequestMessage(HttpMethod.Get, "/p?x=1");
        request.Headers.Host = "log.test";
        request.Headers.UserAgent.ParseAdd("probe/1.0");
        (await gateway.Client.SendAsync(request)).Dispose();

        var entry = await probe.NextAsync();
        Assert.Equal("127.0.0.1", entry.RemoteAddr);
        Assert.Equal("log.test", entry.Host);
        Assert.Equal("GET", entry.Method);
        Assert.Equal("/p?x=1", entry.Uri);
        Assert.Equal(200, entry.Status);
        Assert.Equal(backend.Address, entry.UpstreamAddr);
        Assert.Equal("200", entry.UpstreamStatus);
        Assert.Equal(1, entry.Tries);
        Assert.Null(entry.XErrorCode);
        Assert.Equal("probe/1.0", entry.UserAgent);
        Assert.True(entry.RequestTime >= entry.UpstreamTime);
    }

    [Fact]
    public async Task Forward_AccessLogFileConfigured_WritesJsonLinesWithTheFields()
    {
        await using var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        var folder = Directory.CreateTempSubdirectory("slardar-log-").FullName;
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("file.test", backend.Address))
        {
            ["AccessLog:File"] = Path.Combine(folder, "access-.json"),
        };
        await using (var gateway = await StartGatewayAsync(settings))
        {
            using var probe = new AccessLogProbe(gateway.AccessLog);
            (await gateway.GetAsync("file.test", "/logged")).Dispose();
            await probe.NextAsync();
        }

        // Disposing the gateway flushed and closed the log file.
        var line = File.ReadLines(Directory.GetFiles(folder).Single()).Single();
        using var json = System.Text.Json.JsonDocument.Parse(line);
        var properties = json.RootElement.GetProperty("Properties");
        Assert.Equal("file.test", properties.GetProperty("host").GetString());
        Assert.Equal("/logged", properties.GetProperty("uri").GetString());
        Assert.Equal(200, properties.GetProperty("status").GetInt32());
        Assert.Equal(backend.Address, properties.GetProperty("upstream_addr").GetString());
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Forward_AccessLogDisabled_WritesNothing()
    {
        await using var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("log.test", backend.Address)) { ["AccessLog:Enabled"] = "false" };
        await using var gateway = await StartGatewayAsync(settings);

        using var response = await gateway.GetAsync("log.test");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(gateway.AccessLog.Enabled);
    }

    // Kestrel collapses a value whose only known option is close or keep-alive to that option: the
    // gateway reads what the client sent (ConnectionHeaderCapture).
    [Theory]
    [InlineData("X-Secret, x-hop")]
    [InlineData("close, keep-alive, X-Secret,x-hop")]
    [InlineData("close, X-Secret, x-hop")]
    [InlineData("keep-alive, X-Secret, x-hop")]
    public async Task Forward_HeadersNamedInConnection_AreNotForwardedEitherWay(string connection)
    {
        await using var backend = await TestBackend.StartAsync(context =>
        {
            var headers = context.Request.Headers;
            context.Response.Headers["X-Seen"] = $"secret={headers["X-Secret"]} hop={headers["X-Hop"]} kept={headers["X-Kept"]}";
            context.Response.Headers.Connection = "X-Backend-Hop";
            context.Response.Headers["X-Backend-Hop"] = "private";
            context.Response.Headers["X-Backend-Kept"] = "public";
            return context.Response.WriteAsync("ok");
        });
        await using var gateway = await StartGatewayAsync(new Dictionary<string, string?>(TestGateway.Upstream("c.test", backend.Address)));

        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "c.test";
        request.Headers.TryAddWithoutValidation("Connection", connection);
        request.Headers.Add("X-Secret", "s3cret");
        request.Headers.Add("X-Hop", "1");
        request.Headers.Add("X-Kept", "yes");
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("secret= hop= kept=yes", response.Headers.GetValues("X-Seen").Single());
        Assert.False(response.Headers.Contains("X-Backend-Hop"));
        Assert.Equal("public", response.Headers.GetValues("X-Backend-Kept").Single());
    }

    [Fact]
    public async Task Forward_NextRequestOnTheSameConnection_DoesNotInheritTheOptionsTheLastOneNamed()
    {
        await using var backend = await TestBackend.StartAsync(context =>
            context.Response.WriteAsync($"secret={context.Request.Headers["X-Secret"]}"));
        await using var gateway = await StartGatewayAsync(new Dictionary<string, string?>(TestGateway.Upstream("c.test", backend.Address)));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, new Uri(gateway.ProxyUrls[0]).Port);
        var stream = client.GetStream();
        var bothRequests =
            "GET / HTTP/1.1\r\nHost: c.test\r\nConnection: keep-alive, X-Secret\r\nX-Secret: first\r\n\r\n" +
            "GET / HTTP/1.1\r\nHost: c.test\r\nConnection: keep-alive\r\nX-Secret: second\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(bothRequests));

        var answers = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!answers.ToString().Contains("secret=second", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.NotEqual(0, read);
            answers.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        // The first body is "secret=" alone (its header dropped), whatever the framing around it.
        Assert.Matches("(?s)^HTTP/1.1 200.*\\r\\n(7\\r\\n)?secret=\\r\\n.*HTTP/1.1 200.*secret=second", answers.ToString());
    }

    public sealed class Fast() : ForwardingTests("fast");

    public sealed class Yarp() : ForwardingTests("yarp");
}
