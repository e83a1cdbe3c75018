using Shouldly;
using Slardar.Scriptable.Tests.Support;
using static Slardar.Scriptable.Tests.Consul.ConsulGateways;

namespace Slardar.Scriptable.Tests.Consul;

/// <summary>Consul down or hung: the gateway starts from its store, serves, says so, and catches up.</summary>
public sealed class ConsulOutageTests
{
    private const string Host = "web.test";

    [Fact]
    public async Task Start_ConsulDown_ServesLastKnownGoodThenCatchesUpWhenConsulReturns()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var one = await TestBackend.StartNamedAsync("one");
        await using var two = await TestBackend.StartNamedAsync("two");
        consul.Put(UpstreamKey(Host), Servers(one));
        consul.Put(UpstreamKey("gone.test"), Servers(one));
        consul.Register("web", "web-1", "127.0.0.1", two.Port);
        consul.Put(UpstreamKey("svc.test"), """{"consul_service":"web"}""");
        consul.Put(ScriptKey("svc.test", "rewrite"), """if (Request.Path == "/mode") return Exit(200, (await Config.GetAsync("mode"))?.GetString() ?? "none"); return Next;""");
        consul.Put(ConfigKey("mode"), "\"blue\"");
        var first = await StartAsync(consul);
        (await BodyAsync(first, Host)).ShouldBe("one");
        (await BodyAsync(first, "svc.test")).ShouldBe("two");
        await first.StopAsync();

        // While the gateway is stopped, Consul changes; then Consul loses its leader.
        consul.Put(UpstreamKey(Host), Servers(two));
        consul.Delete(UpstreamKey("gone.test"));
        consul.FailNext(int.MaxValue);

        // Start-up waits up to Consul:RequestTimeoutSeconds for the services it follows: keep it short.
        await using var gateway = await StartAsync(consul, first.Folder, new Dictionary<string, string?> { ["Consul:RequestTimeoutSeconds"] = "3" });

        (await BodyAsync(gateway, Host)).ShouldBe("one");
        (await BodyAsync(gateway, "gone.test")).ShouldBe("one");
        (await BodyAsync(gateway, "svc.test")).ShouldBe("two");
        (await BodyAsync(gateway, "svc.test", "/mode")).ShouldBe("blue");
        var status = await ConsulStatusAsync(gateway);
        (status["reachable"]!.GetValue<bool>(), status["started_from_store"]!.GetValue<bool>()).ShouldBe((false, true));
        status["last_error"]!.GetValue<string>().ShouldContain("No cluster leader");
        (await gateway.AdminAsync(HttpMethod.Post, $"/upstream/{Host}", Servers(one))).Status.ShouldBe(503);

        consul.FailNext(0);
        await UntilBodyAsync(gateway, Host, body => body == "two", "the gateway to catch up once Consul answers");
        await UntilBodyAsync(gateway, "gone.test", body => body.StartsWith("404", StringComparison.Ordinal), "the key deleted meanwhile to unbind");

        // The index is recorded once the whole catch-up is applied, a moment after its changes serve.
        status = await Poll.UntilAsync(() => ConsulStatusAsync(gateway), s => s["last_index"]!.GetValue<ulong>() == consul.Index,
            Limit, "the caught-up index in /status");
        (status["reachable"]!.GetValue<bool>(), status["last_index"]!.GetValue<ulong>()).ShouldBe((true, consul.Index));
    }

    [Fact]
    public async Task Start_ConsulHangs_GatewayStartsWithinTheTimeoutAndKeepsServing()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var one = await TestBackend.StartNamedAsync("one");
        await using var two = await TestBackend.StartNamedAsync("two");
        consul.Put(UpstreamKey(Host), Servers(two));
        consul.HangNext(int.MaxValue);
        var settings = new Dictionary<string, string?>(TestGateway.Upstream(Host, one.Address)) { ["Consul:RequestTimeoutSeconds"] = "1" };

        // The start-up read gives up after Consul:RequestTimeoutSeconds (1 s here); a start that
        // waited for the hung agent would never end.
        await using var gateway = await StartAsync(consul, settings: settings).WaitAsync(TimeSpan.FromSeconds(60));
        (await BodyAsync(gateway, Host)).ShouldBe("one");
        var status = await ConsulStatusAsync(gateway);
        status["reachable"]!.GetValue<bool>().ShouldBeFalse();
        status["last_error"]!.GetValue<string>().ShouldContain("did not answer");
        (await gateway.AdminAsync(HttpMethod.Post, $"/upstream/{Host}", Servers(two))).Status.ShouldBe(503);
        (await BodyAsync(gateway, Host)).ShouldBe("one");

        consul.HangNext(0);
        await UntilBodyAsync(gateway, Host, body => body == "two", "the gateway to catch up once Consul answers");
    }
}
