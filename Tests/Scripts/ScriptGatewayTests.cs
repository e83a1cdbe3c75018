using Microsoft.AspNetCore.Http;
using System.Net;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripts;

/// <summary>Scripts posted to the admin API, acting on real proxied requests.</summary>
public sealed class ScriptGatewayTests
{
    private static async Task<(TestGateway Gateway, TestBackend Backend)> StartAsync(string host = "app.test", string? manifest = null)
    {
        var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync(
            $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} x-user={context.Request.Headers["X-User"]}"));
        var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream(host, backend.Address)), manifest);
        return (gateway, backend);
    }

    private static async Task<HttpResponseMessage> SendAsync(TestGateway gateway, HttpMethod method, string host, string path = "/", string? header = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Host = host;
        if (header is not null)
        {
            request.Headers.Add("X-Token", header);
        }

        return await gateway.Client.SendAsync(request);
    }

    [Fact]
    public async Task SeedExample_DeleteIsForbiddenAndGetIsProxied()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", """if (Request.Method == "DELETE") return Exit(403);""");

        Assert.Equal(200, status);
        Assert.Equal(1, json!["version"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(gateway, HttpMethod.Delete, "app.test")).StatusCode);
        using var get = await SendAsync(gateway, HttpMethod.Get, "app.test", "/x");
        Assert.Equal("GET /x x-user=", await get.Content.ReadAsStringAsync());
        Assert.Equal(1, backend.Requests);
    }

    [Fact]
    public async Task CompileError_Is400WithTheUsersLinesAndTheServingVersionStays()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", """if (Request.Method == "DELETE") return Exit(403);""");

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", "using System.Text;\nusing System.Linq;\nvar s = new StringBuilder();\nreturn Exit(undefinedThing);");

        Assert.Equal(400, status);
        Assert.Equal("script does not compile", json!["msg"]!.GetValue<string>());
        var error = json["diagnostics"]!.AsArray().Single(d => d!["severity"]!.GetValue<string>() == "error")!;
        Assert.Equal(4, error["line"]!.GetValue<int>());
        Assert.Equal(13, error["column"]!.GetValue<int>());
        Assert.Equal("CS0103", error["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(gateway, HttpMethod.Delete, "app.test")).StatusCode);
        var (_, script) = await gateway.AdminAsync(HttpMethod.Get, "/script/app.test");
        Assert.Equal(1, script!["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task DryRun_ValidatesWithoutActivating()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;

        var (ok, okJson) = await gateway.AdminAsync(HttpMethod.Post, "/script/app.test?dry_run=true", "return Exit(418);");
        var (bad, _) = await gateway.AdminAsync(HttpMethod.Post, "/script/app.test?dry_run=true", "return Exit(;");

        Assert.Equal(200, ok);
        Assert.True(okJson!["dry_run"]!.GetValue<bool>());
        Assert.Equal(400, bad);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(gateway, HttpMethod.Get, "app.test")).StatusCode);
        Assert.Equal(404, (await gateway.AdminAsync(HttpMethod.Get, "/script/app.test")).Status);
    }

    [Fact]
    public async Task Post_AnswersWhereTheChangeSpentItsTimeAsServerTiming()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;

        using var applied = await gateway.Admin.PostAsync("/script/app.test", new StringContent("return Exit(418);"));
        using var dryRun = await gateway.Admin.PostAsync("/script/app.test?dry_run=true", new StringContent("return Exit(419);"));
        using var refused = await gateway.Admin.PostAsync("/script/app.test", new StringContent("return Exit(;"));

        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        var timing = string.Join(",", applied.Headers.GetValues("Server-Timing"));
        Assert.Matches(@"^compile;dur=\d+\.\d, store;dur=\d+\.\d, load;dur=\d+\.\d$", timing);
        Assert.Matches(@"^compile;dur=\d+\.\d, store;dur=0\.0, load;dur=0\.0$", string.Join(",", dryRun.Headers.GetValues("Server-Timing")));
        Assert.False(refused.Headers.Contains("Server-Timing"), "a refused change has no timing to tell");
    }

    [Theory]
    [InlineData("/script/app.test/access")]
    [InlineData("/script/app.test/contents")]
    [InlineData("/script/app.test/Balancer2")]
    public async Task Post_UnknownPhase_Is400NamingTheValidPhasesAndStoresNothing(string path)
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, path, "return Exit(418);");

        Assert.Equal(400, status);
        Assert.Contains("expected one of rewrite, auth, content, balancer", json!["msg"]!.GetValue<string>());
        var (_, list) = await gateway.AdminAsync(HttpMethod.Get, "/scripts");
        Assert.Empty(list!["scripts"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(gateway, HttpMethod.Get, "app.test")).StatusCode);
    }

    [Fact]
    public async Task Scripts_ListsThePhaseTableInRunOrder()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;

        var (_, json) = await gateway.AdminAsync(HttpMethod.Get, "/scripts");

        var phases = json!["phases"]!.AsArray();
        Assert.Equal(["rewrite", "auth", "content", "balancer", "preread"], phases.Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal([true, true, true, false, true], phases.Select(p => p!["async"]!.GetValue<bool>()));
    }

    [Theory]
    [InlineData("System.IO.File.ReadAllText(\"/etc/passwd\");")]
    [InlineData("System.Environment.Exit(1);")]
    [InlineData("var t = typeof(string).GetMethods();")]
    [InlineData("System.Threading.Tasks.Task.Run(() => { });")]
    public async Task GuardRail_IsRefusedUnlessTheHostIsTrusted(string body)
    {
        var manifest = """{ "hosts": { "trusted.test": { "upstream": "app.test", "trusted": true } } }""";
        var (gateway, backend) = await StartAsync(manifest: manifest);
        await using var _ = gateway;
        await using var __ = backend;

        var (refused, json) = await gateway.AdminAsync(HttpMethod.Post, "/script/app.test?dry_run=true", body);
        var (trusted, _) = await gateway.AdminAsync(HttpMethod.Post, "/script/trusted.test?dry_run=true", body);

        Assert.Equal(400, refused);
        Assert.Contains(json!["diagnostics"]!.AsArray(), d => d!["severity"]!.GetValue<string>() == "error" && d["line"]!.GetValue<int>() == 1);
        Assert.Equal(200, trusted);
    }

    [Theory]
    [InlineData("while (true) { }", "50000002")]
    [InlineData("int F(int n) => F(n + 1) + 1; return Exit(F(0));", "50000002")]
    [InlineData("throw new InvalidOperationException(\"boom\");", "50000001")]
    public async Task RunawayOrThrowingScript_FailsOnlyItsRequest(string body, string errorCode)
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await using var other = await TestBackend.StartNamedAsync("other");
        await gateway.AdminAsync(HttpMethod.Post, "/upstream/other.test", $"{{\"servers\":[{{\"host\":\"127.0.0.1\",\"port\":{other.Port}}}]}}");
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", body)).Status);

        using var failed = await SendAsync(gateway, HttpMethod.Get, "app.test");
        using var served = await SendAsync(gateway, HttpMethod.Get, "other.test");

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(errorCode, failed.Headers.GetValues("X-Error-Code").Single());
        Assert.Contains("error id", await failed.Content.ReadAsStringAsync());
        Assert.Equal("other", await served.Content.ReadAsStringAsync());
        Assert.Equal(0, backend.Requests);
        var (_, scripts) = await gateway.AdminAsync(HttpMethod.Get, "/scripts");
        var counters = scripts!["scripts"]![0]!["counters"]!;
        Assert.Equal(1, counters["invocations"]!.GetValue<long>());
        Assert.Equal(1, counters["errors"]!.GetValue<long>() + counters["budget_exceeded"]!.GetValue<long>());
        var outcome = errorCode == "50000002" ? "budget_exceeded" : "faulted";
        Assert.Contains($"slardar_script_invocations_total{{host=\"app.test\",outcome=\"{outcome}\",phase=\"rewrite\"}} 1", await gateway.Admin.GetStringAsync("/metrics"));
    }

    [Theory]
    [InlineData("""return Exit(200, "x", "text/plain\r\nX-Injected: 1");""")]
    [InlineData("""return Exit(200, "x", "text/plain; charset=\u00fc");""")]
    [InlineData("""return Exit(204, "x");""")]
    [InlineData("""return Exit(99);""")]
    public async Task Exit_WithAValueTheResponseCannotCarry_IsTheScriptsError(string body)
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;

        await AssertExitIsTheScriptsErrorAsync(gateway, body);
        Assert.Equal(0, backend.Requests);
    }

    [Fact]
    public async Task ExitResultThatBypassedExitsChecks_IsStillTheScriptsError()
    {
        // Only reflection (a trusted host) makes a result Exit would refuse: the writer's own guard.
        var manifest = """{ "hosts": { "app.test": { "upstream": "app.test", "trusted": true } } }""";
        var (gateway, backend) = await StartAsync(manifest: manifest);
        await using var _ = gateway;
        await using var __ = backend;
        const string Script = """
            var create = typeof(ScriptResult).GetConstructors(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)[0];
            return (ScriptResult)create.Invoke(new object?[] { 200, "x", "text/plain\r\nX-Injected: 1", null })!;
            """;

        await AssertExitIsTheScriptsErrorAsync(gateway, Script);
    }

    /// <summary>Posts <paramref name="script"/> for app.test; its request must get the script error (500, 50000001, error id) and no injected header.</summary>
    private static async Task AssertExitIsTheScriptsErrorAsync(TestGateway gateway, string script)
    {
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", script)).Status);

        using var response = await SendAsync(gateway, HttpMethod.Get, "app.test");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("50000001", response.Headers.GetValues("X-Error-Code").Single());
        Assert.Contains("error id", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("X-Injected"));
    }

    [Fact]
    public async Task SlardarErrorCode_ExitGivesStatusHeaderAndJsonBody()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", "return Exit(40099999, \"exit try code\");");

        using var response = await SendAsync(gateway, HttpMethod.Get, "app.test");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("40099999", response.Headers.GetValues("X-Error-Code").Single());
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(40099999, json["code"]!.GetValue<int>());
        Assert.Equal("exit try code", json["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rewrite_ChangesPathQueryHeadersAndUpstream()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await using var v2 = await TestBackend.StartAsync(context => context.Response.WriteAsync($"v2 {context.Request.Path}"));
        await gateway.AdminAsync(HttpMethod.Post, "/upstream/app-v2", $"{{\"servers\":[{{\"host\":\"127.0.0.1\",\"port\":{v2.Port}}}]}}");
        const string Script = """
            if (Request.Query["v"] == "2") { Upstream = "app-v2"; }
            Request.Path = "/api" + Request.Path;
            Request.QueryString = "?rewritten=1";
            Request.Headers["X-User"] = "user-" + Request.Method.ToLowerInvariant();
            """;
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", Script)).Status);

        Assert.Equal("GET /api/items?rewritten=1 x-user=user-get", await (await SendAsync(gateway, HttpMethod.Get, "app.test", "/items")).Content.ReadAsStringAsync());
        Assert.Equal("v2 /api/items", await (await SendAsync(gateway, HttpMethod.Get, "app.test", "/items?v=2")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Auth_HeaderTokenAllowsOthersAreDeniedAndVarsReachTheBalancer()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await gateway.AdminAsync(HttpMethod.Post, "/script/app.test/auth", """
            if (Request.Headers["X-Token"] != "let-me-in") return Exit(40100001, "token required");
            Vars["user"] = "alice";
            """);
        await gateway.AdminAsync(HttpMethod.Post, "/script/app.test/rewrite", """Request.Headers["X-User"] = "anonymous";""");

        using var denied = await SendAsync(gateway, HttpMethod.Get, "app.test");
        using var allowed = await SendAsync(gateway, HttpMethod.Get, "app.test", header: "let-me-in");

        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal("40100001", denied.Headers.GetValues("X-Error-Code").Single());
        Assert.Equal("GET / x-user=anonymous", await allowed.Content.ReadAsStringAsync());
        Assert.Equal(1, backend.Requests);
    }

    [Fact]
    public async Task Auth_ScriptThatThrows_FailsClosed()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await gateway.AdminAsync(HttpMethod.Post, "/script/app.test/auth", """if (Request.Headers["X-Token"]!.Length > 0) return Next;""");

        using var response = await SendAsync(gateway, HttpMethod.Get, "app.test");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(0, backend.Requests);
    }

    [Fact]
    public async Task Balancer_PinsAPeerByHeaderAndFeedsBackFailures()
    {
        await using var a = await TestBackend.StartNamedAsync("a");
        await using var b = await TestBackend.StartNamedAsync("b");
        var dead = DeadPeer.ReservePort();
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream("lb.test", $"127.0.0.1:{dead}", a.Address, b.Address))
        {
            ["Upstreams:lb.test:servers:0:max_fails"] = "1",
        });
        var script = $$"""
            if (LastFailure is { Kind: FailureKind.Failed } f) Checkups.Feedback(Upstream, f.Peer, failed: true);
            if (Request.Headers["X-Pin"] == "b") { SetCurrentPeer("127.0.0.1", {{b.Port}}); return Next; }
            SetCurrentPeer(Checkups.SelectPeer(Upstream));
            SetMoreTries(1);
            """;
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/script/lb.test/balancer", script)).Status);

        for (var i = 0; i < 6; i++)
        {
            var pinned = new HttpRequestMessage(HttpMethod.Get, "/");
            pinned.Headers.Host = "lb.test";
            pinned.Headers.Add("X-Pin", "b");
            Assert.Equal("b", await (await gateway.Client.SendAsync(pinned)).Content.ReadAsStringAsync());
        }

        for (var i = 0; i < 6; i++)
        {
            using var response = await gateway.GetAsync("lb.test");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The dead peer failed once, was fed back, and is out for fail_timeout.
        var (_, status) = await gateway.AdminAsync(HttpMethod.Get, "/status");
        var deadPeer = status!["cls:lb.test"]![0]!.AsArray().Single(p => p!["server"]!.GetValue<string>() == $"lb.test:127.0.0.1:{dead}")!;
        Assert.Equal("down", deadPeer["passive"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Balancer_SetsNullPeer_Is502WithErrorCode()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await gateway.AdminAsync(HttpMethod.Post, "/script/app.test/balancer", "SetCurrentPeer(Checkups.SelectPeer(\"no-such-upstream\"));");

        using var response = await SendAsync(gateway, HttpMethod.Get, "app.test");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("50200004", response.Headers.GetValues("X-Error-Code").Single());
        Assert.Equal(0, backend.Requests);
    }

    [Fact]
    public async Task Balancer_SetsNoPeerAtAll_DefaultSelectionServes()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await gateway.AdminAsync(HttpMethod.Post, "/script/app.test/balancer", "Log.Info(\"try \" + Tries);");

        using var response = await SendAsync(gateway, HttpMethod.Get, "app.test");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, backend.Requests);
    }

    [Fact]
    public async Task VersionsDeleteAndRollback()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", "return Exit(401);");
        await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", "return Exit(402);");
        Assert.Equal(HttpStatusCode.PaymentRequired, (await SendAsync(gateway, HttpMethod.Get, "app.test")).StatusCode);

        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/script/app.test/rewrite/rollback?version=1")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(gateway, HttpMethod.Get, "app.test")).StatusCode);

        var (_, versions) = await gateway.AdminAsync(HttpMethod.Get, "/script/app.test/rewrite/versions");
        Assert.Equal([3, 2, 1], versions!["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<int>()));

        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Delete, "/script/app.test")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(gateway, HttpMethod.Get, "app.test")).StatusCode);
        Assert.Equal(400, (await gateway.AdminAsync(HttpMethod.Delete, "/script/app.test")).Status);
    }

    [Fact]
    public async Task Restart_RestoresScriptsFromTheStore()
    {
        await using var backend = await TestBackend.StartNamedAsync("ok");
        var folder = Directory.CreateTempSubdirectory("slardar-script-restart-").FullName;
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("app.test", backend.Address));
        var first = await TestGateway.StartAsync(settings, folder: folder);
        await first.AdminAsync(HttpMethod.Post, "/script/app.test", """if (Request.Method == "DELETE") return Exit(403);""");
        await first.StopAsync();

        await using var second = await TestGateway.StartAsync(settings, folder: folder);

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(second, HttpMethod.Delete, "app.test")).StatusCode);
        var (_, script) = await second.AdminAsync(HttpMethod.Get, "/script/app.test");
        Assert.Equal("api", script!["origin"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadPatternOrPhase_Is400()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;

        Assert.Equal(400, (await gateway.AdminAsync(HttpMethod.Post, "/script/app.test/access", "return Next;")).Status);
        Assert.Equal(400, (await gateway.AdminAsync(HttpMethod.Post, "/script/bad%20host", "return Next;")).Status);
        Assert.Equal(400, (await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", "")).Status);
    }
}
