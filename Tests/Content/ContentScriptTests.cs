using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Content;

/// <summary>Content scripts serving requests by calling real Kestrel upstreams on loopback (httpipe + ready_ok).</summary>
public sealed class ContentScriptTests
{
    // The seed's flow: fetch the image from storage, stream it through processing, stream the result back.
    private const string SeedScript = """
        var image = await Checkups.ReadyOkAsync("storage",
            peer => Http.SendAsync(peer, new UpstreamRequest("GET", Request.Path)));
        if (image.Status != 200) return Respond(image);
        var thumb = await Checkups.ReadyOkAsync("imgprocess",
            peer => Http.SendAsync(peer, new UpstreamRequest("POST", "/process") { Body = image.Body }));
        return Respond(thumb);
        """;

    private static byte[] Bytes(int count, int seed = 1)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static Task<TestBackend> StartStorageAsync(byte[] image) => TestBackend.StartAsync(async context =>
    {
        if (context.Request.Path == "/missing.jpg")
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("no such object");
            return;
        }

        context.Response.ContentType = "image/jpeg";
        context.Response.ContentLength = image.Length;
        await context.Response.Body.WriteAsync(image);
    });

    // Processing: answers the body reversed, so the client can tell it went through.
    private static Task<TestBackend> StartProcessingAsync() => TestBackend.StartRecordingAsync(async (context, body) =>
    {
        context.Response.ContentType = "image/webp";
        await context.Response.Body.WriteAsync(Reversed(body));
    });

    private static byte[] Reversed(byte[] bytes) => bytes.AsEnumerable().Reverse().ToArray();

    // Byte arrays compared without printing megabytes when they differ.
    private static void ShouldBeSame(byte[] actual, byte[] expected) =>
        (actual.Length == expected.Length && actual.AsSpan().SequenceEqual(expected)).ShouldBeTrue($"{actual.Length} bytes, expected {expected.Length} (same length, contents differ when equal)");

    private static async Task<TestGateway> StartGatewayAsync(IEnumerable<KeyValuePair<string, string?>> upstreams, string? manifest = null)
    {
        var settings = new Dictionary<string, string?>(upstreams);
        return await TestGateway.StartAsync(settings, manifest ?? """{ "hosts": { "img.test": { } } }""");
    }

    private static async Task PostScriptAsync(TestGateway gateway, string source, string host = "img.test")
    {
        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, $"/script/{host}/content", source);
        status.ShouldBe(200, json?.ToJsonString());
    }

    [Fact]
    public async Task SeedFlow_StorageThroughProcessing_ClientGetsTheProcessedBytes()
    {
        var image = Bytes(300_000);
        await using var storage = await StartStorageAsync(image);
        await using var processing = await StartProcessingAsync();
        await using var gateway = await StartGatewayAsync([.. TestGateway.Upstream("storage", storage.Address), .. TestGateway.Upstream("imgprocess", processing.Address)]);
        using var log = new AccessLogProbe(gateway.AccessLog);
        await PostScriptAsync(gateway, SeedScript);

        using var response = await gateway.GetAsync("img.test", "/cat.jpg");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldBeSame(await response.Content.ReadAsByteArrayAsync(), Reversed(image));
        response.Content.Headers.ContentType!.MediaType.ShouldBe("image/webp");
        ShouldBeSame(processing.Bodies.Single(), image);
        var entry = await log.NextAsync();
        entry.UpstreamName.ShouldBe("storage, imgprocess");
        entry.UpstreamAddr.ShouldBe($"{storage.Address}, {processing.Address}");
        entry.UpstreamStatus.ShouldBe("200, 200");
    }

    [Fact]
    public async Task SeedFlow_StorageAnswers404_ClientGetsItAndProcessingIsNotCalled()
    {
        await using var storage = await StartStorageAsync(Bytes(10));
        await using var processing = await StartProcessingAsync();
        await using var gateway = await StartGatewayAsync([.. TestGateway.Upstream("storage", storage.Address), .. TestGateway.Upstream("imgprocess", processing.Address)]);
        await PostScriptAsync(gateway, SeedScript);

        using var response = await gateway.GetAsync("img.test", "/missing.jpg");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldBe("no such object");
        processing.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task ReadyOk_ProcessingPeersThatRefuseOrAnswer502_AreSkippedAndTheClientGets200()
    {
        var image = Bytes(50_000);
        await using var storage = await StartStorageAsync(image);
        await using var failing = await TestBackend.StartAsync(context =>
        {
            context.Response.StatusCode = 502;
            return context.Response.WriteAsync("bad gateway upstream");
        });
        await using var processing = await StartProcessingAsync();
        var dead = DeadPeer.ReservePort();
        var upstreams = TestGateway.Upstream("storage", storage.Address)
            .Concat(TestGateway.Upstream("imgprocess", $"127.0.0.1:{dead}", failing.Address, processing.Address))
            .Append(new("Upstreams:imgprocess:try", "3"));
        await using var gateway = await StartGatewayAsync(upstreams);
        using var log = new AccessLogProbe(gateway.AccessLog);
        await PostScriptAsync(gateway, SeedScript);

        using var response = await gateway.GetAsync("img.test", "/cat.jpg");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).Length.ShouldBe(image.Length);
        ShouldBeSame(processing.Bodies.Single(), image);
        failing.Requests.ShouldBe(1);

        // The body went to the failing peer and again, whole, to the good one: it was kept for the retry.
        var entry = await log.NextAsync();
        entry.UpstreamStatus.Split(", ").ShouldBe(["200", "502", "502", "200"], ignoreOrder: false);
        var (_, status) = await gateway.AdminAsync(HttpMethod.Get, "/status");
        var passive = status!["cls:imgprocess"]![0]!.AsArray().Select(p => p!["passive"]!["status"]!.GetValue<string>()).ToArray();
        passive.ShouldBe(["down", "down", "ok"]);
    }

    [Fact]
    public async Task ReadyOk_EveryPeerRefuses_Is502WithTheProxysErrorCode()
    {
        await using var storage = await StartStorageAsync(Bytes(10));
        var upstreams = TestGateway.Upstream("storage", storage.Address)
            .Concat(TestGateway.Upstream("imgprocess", $"127.0.0.1:{DeadPeer.ReservePort()}", $"127.0.0.1:{DeadPeer.ReservePort()}"));
        await using var gateway = await StartGatewayAsync(upstreams);
        await PostScriptAsync(gateway, SeedScript);

        using var response = await gateway.GetAsync("img.test", "/cat.jpg");

        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        response.Headers.GetValues("X-Error-Code").Single().ShouldBe("50200003");
        (await response.Content.ReadAsStringAsync()).ShouldContain("imgprocess");
        var (_, scripts) = await gateway.AdminAsync(HttpMethod.Get, "/scripts");
        var counters = scripts!["scripts"]!.AsArray().Single(s => s!["phase"]!.GetValue<string>() == "content")!["counters"]!;
        counters["upstream_failed"]!.GetValue<long>().ShouldBe(1);
        counters["errors"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task ClientBody_PipedToTwoUpstreams_ArrivesWholeAtBothAndIsReadOnceFromTheClient()
    {
        await using var storage = await TestBackend.StartRecordingAsync((context, body) => context.Response.WriteAsync("stored"));
        await using var processing = await StartProcessingAsync();
        await using var gateway = await StartGatewayAsync([.. TestGateway.Upstream("storage", storage.Address), .. TestGateway.Upstream("imgprocess", processing.Address)]);
        await PostScriptAsync(gateway, """
            using var stored = await Http.SendAsync("storage", new UpstreamRequest("PUT", Request.Path) { Body = Request.Body });
            if (stored.Status != 200) return Exit(50200099);
            var thumb = await Http.SendAsync("imgprocess", new UpstreamRequest("POST", "/process") { Body = Request.Body });
            return Respond(thumb);
            """);
        var upload = Bytes(3 * 1024 * 1024, seed: 7);

        using var response = await gateway.SendAsync("img.test", HttpMethod.Put, "/cat.jpg", new ByteArrayContent(upload));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldBeSame(storage.Bodies.Single(), upload);
        ShouldBeSame(processing.Bodies.Single(), upload);
        ShouldBeSame(await response.Content.ReadAsByteArrayAsync(), Reversed(upload));
    }

    [Fact]
    public async Task Aggregation_TwoJsonApisCalledAtOnce_AnswersWithBoth()
    {
        await using var users = await TestBackend.StartAsync(async context =>
        {
            await Task.Delay(100);
            await context.Response.WriteAsync("""{"name":"ann"}""");
        });
        await using var orders = await TestBackend.StartAsync(async context =>
        {
            await Task.Delay(100);
            await context.Response.WriteAsync("""{"count":3}""");
        });
        await using var gateway = await StartGatewayAsync([.. TestGateway.Upstream("users", users.Address), .. TestGateway.Upstream("orders", orders.Address)]);

        // The time budget is 50 ms by default: waiting on two 100 ms upstreams is not charged to it.
        await PostScriptAsync(gateway, """
            var user = Http.SendAsync("users", new UpstreamRequest("GET", "/users/1"));
            var order = Http.SendAsync("orders", new UpstreamRequest("GET", "/orders?user=1"));
            using var u = await user;
            using var o = await order;
            Response.Headers["Content-Type"] = "application/json";
            await Response.WriteAsync("{\"user\":" + await u.ReadAsStringAsync(4096) + ",\"orders\":" + await o.ReadAsStringAsync(4096) + "}");
            """);

        using var response = await gateway.GetAsync("img.test", "/me");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"user":{"name":"ann"},"orders":{"count":3}}""");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
    }

    [Fact]
    public async Task Next_WithoutAnAnswer_HandsTheRequestToTheProxy()
    {
        await using var web = await TestBackend.StartNamedAsync("from web");
        await using var gateway = await StartGatewayAsync(TestGateway.Upstream("web", web.Address));
        await PostScriptAsync(gateway, """
            if (Request.Path.StartsWith("/static/")) { Upstream = "web"; return Next; }
            return Exit(404);
            """);

        using var proxied = await gateway.GetAsync("img.test", "/static/a.css");
        using var refused = await gateway.GetAsync("img.test", "/other");

        (await proxied.Content.ReadAsStringAsync()).ShouldBe("from web");
        refused.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ContentTimeout_AnUpstreamThatNeverAnswers_Is504AndNotCountedAgainstTheScript()
    {
        using var hung = new HungPeer();
        await using var gateway = await StartGatewayAsync(TestGateway.Upstream("slow", hung.Address), """{ "hosts": { "img.test": { "content_timeout": 0.5 } } }""");
        await PostScriptAsync(gateway, """
            var r = await Http.SendAsync("slow", new UpstreamRequest("GET", "/"));
            return Respond(r);
            """);

        using var response = await gateway.GetAsync("img.test", "/");

        response.StatusCode.ShouldBe(HttpStatusCode.GatewayTimeout);
        response.Headers.GetValues("X-Error-Code").Single().ShouldBe("50400002");
        var (_, scripts) = await gateway.AdminAsync(HttpMethod.Get, "/scripts");
        var script = scripts!["scripts"]!.AsArray().Single(s => s!["phase"]!.GetValue<string>() == "content")!;
        script["counters"]!["timed_out"]!.GetValue<long>().ShouldBe(1);
        script["counters"]!["budget_exceeded"]!.GetValue<long>().ShouldBe(0);
        script["quarantined"].ShouldBeNull();
    }

    [Fact]
    public async Task ClientHangsUp_TheUpstreamCallInFlightIsCanceled()
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = await TestBackend.StartAsync(async context =>
        {
            context.RequestAborted.Register(() => aborted.TrySetResult());
            reached.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { });
        });
        await using var gateway = await StartGatewayAsync(TestGateway.Upstream("slow", slow.Address));
        await PostScriptAsync(gateway, """
            var r = await Http.SendAsync("slow", new UpstreamRequest("GET", "/"));
            return Respond(r);
            """);

        using var hangUp = new CancellationTokenSource();
        var client = new HttpClient { BaseAddress = gateway.Client.BaseAddress };
        var call = client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "img.test" } }, hangUp.Token);
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        hangUp.Cancel();

        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Should.ThrowAsync<OperationCanceledException>(call);
        client.Dispose();
    }

    [Fact]
    public async Task Peer_OutsideEveryUpstream_FailsTheRequestAndIsNeverCalled()
    {
        await using var web = await TestBackend.StartNamedAsync("web");
        await using var secret = await TestBackend.StartNamedAsync("internal admin");
        await using var gateway = await StartGatewayAsync(TestGateway.Upstream("web", web.Address));
        await PostScriptAsync(gateway, $$"""
            var r = await Http.SendAsync(new Peer("127.0.0.1", {{secret.Port}}), new UpstreamRequest("GET", "/"));
            return Respond(r);
            """);

        using var response = await gateway.GetAsync("img.test", "/");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.Headers.GetValues("X-Error-Code").Single().ShouldBe("50000001");
        secret.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task AbsoluteUrl_FromAnUntrustedHost_FailsTheRequestAndIsNeverCalled()
    {
        await using var secret = await TestBackend.StartNamedAsync("internal admin");
        await using var gateway = await StartGatewayAsync([]);
        await PostScriptAsync(gateway, $$"""
            var r = await Http.SendAsync(new Uri("http://127.0.0.1:{{secret.Port}}/"), new UpstreamRequest("GET", "/"));
            return Respond(r);
            """);

        using var response = await gateway.GetAsync("img.test", "/");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        secret.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task AbsoluteUrl_FromATrustedHost_IsCalled()
    {
        await using var api = await TestBackend.StartNamedAsync("partner api");
        await using var gateway = await StartGatewayAsync([], """{ "hosts": { "img.test": { "trusted": true } } }""");
        await PostScriptAsync(gateway, $$"""
            var r = await Http.SendAsync(new Uri("http://127.0.0.1:{{api.Port}}/"), new UpstreamRequest("GET", "/"));
            return Respond(r);
            """);

        using var response = await gateway.GetAsync("img.test", "/");

        (await response.Content.ReadAsStringAsync()).ShouldBe("partner api");
    }

    [Theory]
    [InlineData("var c = new System.Net.Http.HttpClient();")]
    [InlineData("var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);")]
    [InlineData("var r = new UpstreamRequest(\"GET\", \"http://evil.test/\");")]
    public async Task NetworkAccess_OutsideTheGatewaysClient_IsRefusedOrFailsClearly(string line)
    {
        await using var gateway = await StartGatewayAsync([]);

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/script/img.test/content", line + "\nreturn Exit(200);");

        if (status == 200)
        {
            // Compiles (an UpstreamRequest is just data): refused when run, naming the rule.
            using var response = await gateway.GetAsync("img.test", "/");
            response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        }
        else
        {
            status.ShouldBe(400);
            json!.ToJsonString().ShouldContain("network access");
        }
    }

    [Fact]
    public async Task ReadAsString_PastItsLimit_FailsTheScriptInsteadOfBuffering()
    {
        await using var big = await TestBackend.StartAsync(context => context.Response.Body.WriteAsync(Bytes(100_000)).AsTask());
        await using var gateway = await StartGatewayAsync(TestGateway.Upstream("big", big.Address));
        await PostScriptAsync(gateway, """
            using var r = await Http.SendAsync("big", new UpstreamRequest("GET", "/"));
            var text = await r.ReadAsStringAsync(1000);
            return Exit(200, text);
            """);

        using var response = await gateway.GetAsync("img.test", "/");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
    }

    [Fact]
    public async Task Response_OwnAnswer_HasTheScriptsStatusHeadersAndBody()
    {
        await using var gateway = await StartGatewayAsync([]);
        await PostScriptAsync(gateway, """
            Response.Status = 201;
            Response.Headers["X-Made-By"] = "content";
            await Response.WriteAsync("made ");
            await Response.WriteAsync(Encoding.UTF8.GetBytes("here"));
            """);

        using var response = await gateway.GetAsync("img.test", "/");

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        response.Headers.GetValues("X-Made-By").Single().ShouldBe("content");
        (await response.Content.ReadAsStringAsync()).ShouldBe("made here");
    }

    [Fact]
    public async Task ScriptCpuLoop_StillStoppedByItsBudget_UpstreamWaitsAside()
    {
        await using var web = await TestBackend.StartNamedAsync("web");
        await using var gateway = await StartGatewayAsync(TestGateway.Upstream("web", web.Address));
        await PostScriptAsync(gateway, """
            using var r = await Http.SendAsync("web", new UpstreamRequest("GET", "/"));
            while (true) { }
            """);

        using var response = await gateway.GetAsync("img.test", "/");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.Headers.GetValues("X-Error-Code").Single().ShouldBe("50000002");
    }

    [Fact]
    public async Task ContentFile_InTheScriptsFolder_ServesAndIsListedAsTheContentPhase()
    {
        await using var web = await TestBackend.StartNamedAsync("from web");
        var folder = Directory.CreateTempSubdirectory("slardar-content-").FullName;
        var file = Path.Combine(folder, "Scripts", "img.test", "content.csx");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, """
            using var r = await Http.SendAsync("web", new UpstreamRequest("GET", "/"));
            return Exit(200, "content says: " + await r.ReadAsStringAsync(1024));
            """);

        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream("web", web.Address)), """{ "hosts": { "img.test": { } } }""", folder: folder);

        using var response = await gateway.GetAsync("img.test", "/");
        (await response.Content.ReadAsStringAsync()).ShouldBe("content says: from web");
        var (_, script) = await gateway.AdminAsync(HttpMethod.Get, "/script/img.test/content");
        script!["origin"]!.GetValue<string>().ShouldBe("file");
    }

    [Fact]
    public async Task ManyClientsAtOnce_EachGetsItsOwnAnswer()
    {
        await using var echo = await TestBackend.StartAsync(context => context.Response.WriteAsync(context.Request.Path));
        await using var gateway = await StartGatewayAsync(TestGateway.Upstream("echo", echo.Address));
        await PostScriptAsync(gateway, """
            using var r = await Http.SendAsync("echo", new UpstreamRequest("GET", Request.Path));
            return Exit(200, await r.ReadAsStringAsync(1024));
            """);

        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            using var response = await gateway.GetAsync("img.test", $"/n/{i}");
            return await response.Content.ReadAsStringAsync();
        }));

        answers.ShouldBe(Enumerable.Range(0, 64).Select(i => $"/n/{i}"));
    }

    [Fact]
    public async Task RequestBody_ReadByARewriteScript_IsStillProxiedWhole()
    {
        await using var web = await TestBackend.StartRecordingAsync((context, body) => context.Response.WriteAsync("got " + body.Length));
        await using var gateway = await StartGatewayAsync(TestGateway.Upstream("web", web.Address), """{ "hosts": { "img.test": { "upstream": "web" } } }""");
        var (status, _) = await gateway.AdminAsync(HttpMethod.Post, "/script/img.test/rewrite", """
            var head = await Request.Body.ReadAsStringAsync(1 << 20);
            if (!head.StartsWith("{")) return Exit(40000009, "JSON only");
            """);
        status.ShouldBe(200);
        var json = "{\"a\":\"" + new string('x', 200_000) + "\"}";

        using var accepted = await gateway.SendAsync("img.test", HttpMethod.Post, "/", new StringContent(json));
        using var refused = await gateway.SendAsync("img.test", HttpMethod.Post, "/", new StringContent("plain"));

        (await accepted.Content.ReadAsStringAsync()).ShouldBe("got " + json.Length);
        ShouldBeSame(web.Bodies.Single(), Encoding.UTF8.GetBytes(json));
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ReadTimeout_APeerThatNeverAnswers_Is504WithTheProxysTimeoutCode()
    {
        using var hung = new HungPeer();
        var settings = TestGateway.Upstream("slow", hung.Address).Append(new("Proxy:ReadTimeout", "0.5"));
        await using var gateway = await StartGatewayAsync(settings);
        await PostScriptAsync(gateway, """
            var r = await Checkups.ReadyOkAsync("slow", peer => Http.SendAsync(peer, new UpstreamRequest("GET", "/")));
            return Respond(r);
            """);

        using var response = await gateway.GetAsync("img.test", "/");

        response.StatusCode.ShouldBe(HttpStatusCode.GatewayTimeout);
        response.Headers.GetValues("X-Error-Code").Single().ShouldBe("50400001");
        (await response.Content.ReadAsStringAsync()).ShouldContain("Proxy:ReadTimeout");
    }
}
