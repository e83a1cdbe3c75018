using System.Net;
using Shouldly;
using Slardar.Scriptable.Tests.Support;
using static Slardar.Scriptable.Tests.Consul.ConsulGateways;

namespace Slardar.Scriptable.Tests.Consul;

/// <summary>A real gateway following the KV prefix of a Consul (the in-process double): start-up load, live changes, refusals.</summary>
public sealed class ConsulKvGatewayTests
{
    private const string Host = "web.test";

    [Fact]
    public async Task Startup_KvHoldsUpstreamScriptAndConfig_ServesThemFromTheFirstRequest()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var backend = await TestBackend.StartNamedAsync("one");
        consul.Put(UpstreamKey(Host), Servers(backend));
        consul.Put(ScriptKey(Host, "rewrite"), """if (Request.Path == "/greeting") return Exit(200, Config["greeting"]?.GetString() ?? "none"); return Next;""");
        consul.Put(ConfigKey("greeting"), "\"hello\"");

        // A balancer script (synchronous) reads Config too: the pool to send to.
        await using var two = await TestBackend.StartNamedAsync("two");
        consul.Put(UpstreamKey("lb.test"), Servers(backend));
        consul.Put(UpstreamKey("pool-b"), Servers(two));
        consul.Put(ScriptKey("lb.test", "balancer"), """SetCurrentPeer(Checkups.SelectPeer(Config["pool"]?.GetString() ?? Upstream));""");
        consul.Put(ConfigKey("pool"), "\"pool-b\"");

        await using var gateway = await StartAsync(consul);

        (await BodyAsync(gateway, Host)).ShouldBe("one");
        (await BodyAsync(gateway, Host, "/greeting")).ShouldBe("hello");
        (await BodyAsync(gateway, "lb.test")).ShouldBe("two");
        var status = await ConsulStatusAsync(gateway);
        status["reachable"]!.GetValue<bool>().ShouldBeTrue();
        status["started_from_store"]!.GetValue<bool>().ShouldBeFalse();
        status["last_index"]!.GetValue<ulong>().ShouldBe(consul.Index);
        status["rejected"]!.AsArray().ShouldBeEmpty();
        var (_, script) = await gateway.AdminAsync(HttpMethod.Get, $"/script/{Host}/rewrite");
        script!["origin"]!.GetValue<string>().ShouldBe("consul");
    }

    [Fact]
    public async Task Watch_UpstreamScriptAndConfigChangeInKv_LiveWithoutRestartAndDeletesUnbind()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var one = await TestBackend.StartNamedAsync("one");
        await using var two = await TestBackend.StartNamedAsync("two");
        consul.Put(UpstreamKey(Host), Servers(one));
        await using var gateway = await StartAsync(consul);
        (await BodyAsync(gateway, Host)).ShouldBe("one");

        consul.Put(UpstreamKey(Host), Servers(two));
        await UntilBodyAsync(gateway, Host, b => b == "two", "the upstream change in Consul to serve");

        consul.Put(ScriptKey(Host, "rewrite"), """return Exit(200, "script v1 " + (Config["mode"]?.GetString() ?? "none"));""");
        await UntilBodyAsync(gateway, Host, b => b == "script v1 none", "the new script to serve");

        consul.Put(ConfigKey("mode"), "\"blue\"");
        await UntilBodyAsync(gateway, Host, b => b == "script v1 blue", "the config value to reach the script");

        consul.Put(ScriptKey(Host, "rewrite"), """return Exit(200, "script v2");""");
        await UntilBodyAsync(gateway, Host, b => b == "script v2", "the script change to serve");

        consul.Delete(ScriptKey(Host, "rewrite"));
        await UntilBodyAsync(gateway, Host, b => b == "two", "the deleted script to unbind");

        consul.Delete(UpstreamKey(Host));
        await UntilBodyAsync(gateway, Host, b => b.StartsWith("404", StringComparison.Ordinal), "the deleted upstream to go");
        (await gateway.AdminAsync(HttpMethod.Get, $"/upstream/{Host}")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task Watch_InvalidScriptAndUpstreamInKv_RefusedWithReasonWhileLastGoodServes()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var one = await TestBackend.StartNamedAsync("one");
        consul.Put(UpstreamKey(Host), Servers(one));
        consul.Put(ScriptKey(Host, "auth"), """if (Request.Path == "/secret") return Exit(403); return Next;""");
        await using var gateway = await StartAsync(consul);

        consul.Put(ScriptKey(Host, "auth"), "return Exit(undefinedThing);");
        consul.Put(UpstreamKey(Host), """{"servers":[{"host":"127.0.0.1","port":"not a port"}]}""");

        var status = await Poll.UntilAsync(() => ConsulStatusAsync(gateway), s => s["rejected"]!.AsArray().Count == 2, Limit, "both refusals in /status");
        var reasons = status["rejected"]!.AsArray().ToDictionary(r => r!["key"]!.GetValue<string>(), r => r!["reason"]!.GetValue<string>());
        reasons[ScriptKey(Host, "auth")].ShouldContain("does not compile");
        reasons[ScriptKey(Host, "auth")].ShouldContain("undefinedThing");
        reasons[UpstreamKey(Host)].ShouldContain("port");
        var (_, scripts) = await gateway.AdminAsync(HttpMethod.Get, "/scripts");
        var auth = scripts!["scripts"]!.AsArray().Single(s => s!["phase"]!.GetValue<string>() == "auth")!;
        (auth["serving"]!.GetValue<bool>(), auth["compile_state"]!.GetValue<string>()).ShouldBe((true, "error"));
        (await gateway.GetAsync(Host, "/secret")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await BodyAsync(gateway, Host)).ShouldBe("one");

        // Fixing the value clears the refusal.
        consul.Put(ScriptKey(Host, "auth"), "return Next;");
        await Poll.UntilAsync(() => ConsulStatusAsync(gateway), s => s["rejected"]!.AsArray().Count == 1, Limit, "the fixed script's refusal to clear");
        (await BodyAsync(gateway, Host, "/secret")).ShouldBe("one");
    }

    [Fact]
    public async Task Watch_ConsulRestartsWithALowerIndex_GatewayStartsOverAndFollowsLaterChanges()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var one = await TestBackend.StartNamedAsync("one");
        await using var two = await TestBackend.StartNamedAsync("two");
        consul.Put(UpstreamKey(Host), Servers(one));
        for (var i = 0; i < 5; i++)
        {
            consul.Put(ConfigKey("filler"), i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // A short wait: after the restart the query blocked on the old, higher index runs to its end.
        await using var gateway = await StartAsync(consul, settings: new Dictionary<string, string?> { ["Consul:WaitSeconds"] = "2" });
        var before = (await ConsulStatusAsync(gateway))["last_index"]!.GetValue<ulong>();

        consul.Restart(3);
        consul.Put(UpstreamKey(Host), Servers(two));

        await UntilBodyAsync(gateway, Host, body => body == "two", "the change made after Consul's restart to serve");
        (await ConsulStatusAsync(gateway))["last_index"]!.GetValue<ulong>().ShouldBeLessThan(before);
    }
}
