using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripts;

/// <summary>
/// Budgets that hold and quarantine, through a real gateway: a script that allocates without end,
/// sits in a library call past its deadline or provokes deep library recursion fails its own request
/// (or its host, once quarantined), and the process and the other hosts keep serving.
/// </summary>
public sealed class ScriptContainmentTests
{
    private static async Task<(TestGateway Gateway, TestBackend Backend)> StartAsync(string? manifest = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("upstream " + context.Request.Host.Host));
        var all = new Dictionary<string, string?>(TestGateway.Upstream("app.test", backend.Address).Concat(TestGateway.Upstream("other.test", backend.Address)));
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return (await TestGateway.StartAsync(all, manifest, services), backend);
    }

    private static async Task PostScriptAsync(TestGateway gateway, string path, string source)
    {
        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, path, source);
        Assert.True(status == 200, json?.ToJsonString());
    }

    private static async Task AssertOtherHostServesAsync(TestGateway gateway)
    {
        using var response = await gateway.GetAsync("other.test");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("upstream other.test", await response.Content.ReadAsStringAsync());
    }

    private static string ErrorCode(HttpResponseMessage response) => response.Headers.GetValues("X-Error-Code").Single();

    [Fact]
    public async Task StringDoubling_IsStoppedByTheAllocationBudget()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await PostScriptAsync(gateway, "/script/app.test", "var s = \"x\";\nfor (int i = 0; i < 29; i++) s += s;\nreturn Exit(200, s.Length.ToString());");

        using var response = await gateway.GetAsync("app.test");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("50000002", ErrorCode(response));
        var (_, script) = await gateway.AdminAsync(HttpMethod.Get, "/script/app.test");
        Assert.Equal(1, script!["counters"]!["budget_exceeded"]!.GetValue<long>());
        await AssertOtherHostServesAsync(gateway);
    }

    [Fact]
    public async Task BudgetMbInScriptsJson_LimitsThatHostOnly()
    {
        var (gateway, backend) = await StartAsync(manifest: """{ "hosts": { "app.test": { "budget_mb": 1, "budget_ms": 10000 }, "other.test": { "budget_ms": 10000 } } }""");
        await using var _ = gateway;
        await using var __ = backend;
        const string source = "var kept = new List<string>();\nfor (var i = 0; i < 8; i++) kept.Add(new string('x', 256 * 1024));\nreturn Exit(200, kept.Count.ToString());";
        await PostScriptAsync(gateway, "/script/app.test", source);
        await PostScriptAsync(gateway, "/script/other.test", source);

        using var limited = await gateway.GetAsync("app.test");
        using var other = await gateway.GetAsync("other.test");

        Assert.Equal("50000002", ErrorCode(limited));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("8", await other.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LibraryCallPastTheDeadline_IsAnsweredByTheWatchdogAndCountedAsARunaway()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await PostScriptAsync(gateway, "/script/app.test", "return Exit(200, Enumerable.Repeat(1L, int.MaxValue).Sum().ToString());");

        using var response = await gateway.GetAsync("app.test");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("50000002", ErrorCode(response));
        await AssertOtherHostServesAsync(gateway);
        var (_, script) = await gateway.AdminAsync(HttpMethod.Get, "/script/app.test");
        Assert.Equal(1, script!["counters"]!["runaways"]!.GetValue<long>());
        var metrics = await gateway.Admin.GetStringAsync("/metrics");
        Assert.Contains("slardar_script_runaways_total{host=\"app.test\",phase=\"rewrite\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BalancerStuckInALibraryCall_IsAnsweredAtTheDeadline()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await PostScriptAsync(gateway, "/script/app.test/balancer", "if (Enumerable.Repeat(1L, int.MaxValue).Sum() > 0) SetCurrentPeer(\"127.0.0.1\", 1);");

        using var response = await gateway.GetAsync("app.test");

        Assert.Equal("50000002", ErrorCode(response));
        var (_, script) = await gateway.AdminAsync(HttpMethod.Get, "/script/app.test/balancer");
        Assert.Equal(1, script!["counters"]!["runaways"]!.GetValue<long>());
        await AssertOtherHostServesAsync(gateway);
    }

    /// <summary>Issue 11's library recursions, 300,000 levels deep: the script's result, or "stack" when the stack guard at the user's lambda may stop it first.</summary>
    public static TheoryData<string, string> LibraryRecursions => new()
    {
        { "var e = Enumerable.Repeat(Enumerable.Empty<int>(), 300000).Aggregate<IEnumerable<int>, IEnumerable<int>>(new[] { 1 }, Enumerable.Except<int>);\nreturn Exit(200, e.First().ToString());", "1" },
        { "IEnumerable<int> e = new[] { 1 };\nfor (var i = 0; i < 300000; i++) e = e.Select(x => x + 1);\nreturn Exit(200, e.First().ToString());", "300001 or stack" },
    };

    [Theory]
    [MemberData(nameof(LibraryRecursions))]
    public async Task LibraryRecursion300000Deep_LeavesTheProcessAndOtherHostsServing(string source, string expected)
    {
        // A generous budget so the recursion itself is what is tried, not the clock of a busy machine.
        var (gateway, backend) = await StartAsync(manifest: """{ "hosts": { "app.test": { "budget_ms": 30000, "budget_mb": 2048 } } }""");
        await using var _ = gateway;
        await using var __ = backend;
        await PostScriptAsync(gateway, "/script/app.test", source);

        using var response = await gateway.GetAsync("app.test");

        // The test process surviving this request is the point; the answer is the script's.
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.StartsWith(await response.Content.ReadAsStringAsync() + " ", expected + " ", StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("50000002", ErrorCode(response));
            Assert.EndsWith("stack", expected, StringComparison.Ordinal);
        }

        await AssertOtherHostServesAsync(gateway);
    }

    [Fact]
    public async Task RepeatedOverruns_QuarantineTheVersionUntilLiftedOrReplaced()
    {
        var (gateway, backend) = await StartAsync(settings: new Dictionary<string, string?> { ["Scripts:Quarantine:Failures"] = "3" });
        await using var _ = gateway;
        await using var __ = backend;
        await PostScriptAsync(gateway, "/script/app.test", "while (true) { }");

        for (var i = 0; i < 3; i++)
        {
            using var overrun = await gateway.GetAsync("app.test");
            Assert.Equal("50000002", ErrorCode(overrun));
        }

        using (var refused = await gateway.GetAsync("app.test"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("50300001", ErrorCode(refused));
        }

        await AssertOtherHostServesAsync(gateway);
        var (_, script) = await gateway.AdminAsync(HttpMethod.Get, "/script/app.test");
        Assert.Equal(3, script!["quarantined"]!["failures"]!.GetValue<int>());
        Assert.Contains("budget", script["quarantined"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, script["counters"]!["invocations"]!.GetValue<long>());
        var (_, status) = await gateway.AdminAsync(HttpMethod.Get, "/status");
        var listed = Assert.Single(status!["scripts_quarantined"]!.AsArray());
        Assert.Equal("app.test", listed!["host"]!.GetValue<string>());
        Assert.Equal("rewrite", listed["phase"]!.GetValue<string>());
        Assert.Equal(1, listed["version"]!.GetValue<int>());
        Assert.Contains("slardar_script_quarantined{host=\"app.test\",phase=\"rewrite\"} 1", await gateway.Admin.GetStringAsync("/metrics"), StringComparison.Ordinal);

        // Lifted by the admin call: the script runs (and overruns) again.
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Delete, "/script/app.test/rewrite/quarantine")).Status);
        Assert.Equal(409, (await gateway.AdminAsync(HttpMethod.Delete, "/script/app.test/rewrite/quarantine")).Status);
        using (var again = await gateway.GetAsync("app.test"))
        {
            Assert.Equal("50000002", ErrorCode(again));
        }

        // Lifted by a new version.
        for (var i = 0; i < 2; i++)
        {
            (await gateway.GetAsync("app.test")).Dispose();
        }

        Assert.Equal("50300001", ErrorCode(await gateway.GetAsync("app.test")));
        await PostScriptAsync(gateway, "/script/app.test", "return Exit(200, \"fixed\");");
        using var fixedResponse = await gateway.GetAsync("app.test");
        Assert.Equal("fixed", await fixedResponse.Content.ReadAsStringAsync());
        var (_, replaced) = await gateway.AdminAsync(HttpMethod.Get, "/script/app.test");
        Assert.Null(replaced!["quarantined"]);
        Assert.Contains("slardar_script_quarantined{host=\"app.test\",phase=\"rewrite\"} 0", await gateway.Admin.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuarantinedAuth_FailsClosed()
    {
        var (gateway, backend) = await StartAsync(settings: new Dictionary<string, string?> { ["Scripts:Quarantine:Failures"] = "1" });
        await using var _ = gateway;
        await using var __ = backend;
        await PostScriptAsync(gateway, "/script/app.test/auth", "if (Request.Headers[\"X-Loop\"] is not null) { while (true) { } }\nreturn Request.Headers[\"X-Ok\"] is null ? Exit(401) : Next;");

        using var loop = new HttpRequestMessage(HttpMethod.Get, "/");
        loop.Headers.Host = "app.test";
        loop.Headers.Add("X-Loop", "1");
        Assert.Equal("50000002", ErrorCode(await gateway.Client.SendAsync(loop)));
        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/");
        allowed.Headers.Host = "app.test";
        allowed.Headers.Add("X-Ok", "1");
        using var response = await gateway.Client.SendAsync(allowed);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("50300001", ErrorCode(response));
        Assert.Equal(0, backend.Requests);
    }

    [Fact]
    public async Task ThrowingScript_IsNeverQuarantined()
    {
        var (gateway, backend) = await StartAsync(settings: new Dictionary<string, string?> { ["Scripts:Quarantine:Failures"] = "1" });
        await using var _ = gateway;
        await using var __ = backend;
        await PostScriptAsync(gateway, "/script/app.test", "throw new InvalidOperationException(\"bad input\");");

        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.GetAsync("app.test");
            Assert.Equal("50000001", ErrorCode(response));
        }
    }

    [Fact]
    public async Task OverrunsSpreadWiderThanTheWindow_DoNotQuarantine()
    {
        var clock = new FakeTimeProvider();
        var (gateway, backend) = await StartAsync(
            settings: new Dictionary<string, string?> { ["Scripts:Quarantine:Failures"] = "2", ["Scripts:Quarantine:WindowSeconds"] = "60" },
            services: s => s.AddSingleton<TimeProvider>(clock));
        await using var _ = gateway;
        await using var __ = backend;
        await PostScriptAsync(gateway, "/script/app.test", "while (true) { }");

        Assert.Equal("50000002", ErrorCode(await gateway.GetAsync("app.test")));
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("50000002", ErrorCode(await gateway.GetAsync("app.test")));
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("50000002", ErrorCode(await gateway.GetAsync("app.test")));

        Assert.Equal("50300001", ErrorCode(await gateway.GetAsync("app.test")));
    }
}
