using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Tests.Support;
using static Slardar.Scriptable.Tests.Consul.ConsulGateways;

namespace Slardar.Scriptable.Tests.Consul;

/// <summary>An upstream defined by <c>consul_service</c> follows the service's passing instances live.</summary>
public sealed class ConsulServiceDiscoveryTests
{
    private const string Host = "web.test";

    [Fact]
    public async Task ConsulService_InstancesAddedMarkedCriticalRemoved_PeersFollowAndKeepTheirHealth()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var one = await TestBackend.StartNamedAsync("one");
        await using var two = await TestBackend.StartNamedAsync("two");
        consul.Register("web", "web-1", "127.0.0.1", one.Port);
        consul.Put(UpstreamKey(Host), """{"consul_service":"web","try":1}""");
        await using var gateway = await StartAsync(consul);
        var registry = gateway.Services.GetRequiredService<UpstreamRegistry>();

        (await BodyAsync(gateway, Host)).ShouldBe("one");
        var (_, definition) = await gateway.AdminAsync(HttpMethod.Get, $"/upstream/{Host}");
        definition!["consul_service"]!.GetValue<string>().ShouldBe("web");
        definition.AsObject().ContainsKey("cluster").ShouldBeFalse();
        var health = Peer(registry, one).Health;

        consul.Register("web", "web-2", "127.0.0.1", two.Port, meta: new Dictionary<string, string> { ["weight"] = "3" });
        await Poll.UntilAsync(() => Task.FromResult(Peers(registry)), p => p.Count == 2, Limit, "the new instance to become a peer");
        Peer(registry, two).Config.Weight.ShouldBe(3);
        Peer(registry, one).Health.ShouldBeSameAs(health);

        consul.SetCheck("web-1", "critical");
        await Poll.UntilAsync(() => Task.FromResult(Peers(registry)), p => p.SequenceEqual([two.Port]), Limit, "the critical instance to leave");
        for (var i = 0; i < 3; i++)
        {
            (await BodyAsync(gateway, Host)).ShouldBe("two");
        }

        consul.SetCheck("web-1", "passing");
        consul.Deregister("web-2");
        await Poll.UntilAsync(() => Task.FromResult(Peers(registry)), p => p.SequenceEqual([one.Port]), Limit, "the removed instance to leave");
        (await BodyAsync(gateway, Host)).ShouldBe("one");

        consul.Deregister("web-1");
        await Poll.UntilAsync(() => Task.FromResult(Peers(registry)), p => p.Count == 0, Limit, "the last instance to leave");
        (await gateway.GetAsync(Host)).StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        var status = await ConsulStatusAsync(gateway);
        status["services"]!["web"]!["peers"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task ConsulService_WithoutConsul_Is400AndNothingIsStored()
    {
        await using var gateway = await TestGateway.StartAsync();

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, $"/upstream/{Host}", """{"consul_service":"web"}""");

        status.ShouldBe(400);
        json!["msg"]!.GetValue<string>().ShouldContain("Consul:Address");
        (await gateway.AdminAsync(HttpMethod.Get, $"/upstream/{Host}/versions")).Status.ShouldBe(404);
    }

    private static List<int> Peers(UpstreamRegistry registry) =>
        registry.TryGet(Host, out var upstream) ? [.. upstream.Levels.SelectMany(l => l).Select(p => p.Port).Order()] : [];

    private static PeerState Peer(UpstreamRegistry registry, TestBackend backend)
    {
        registry.TryGet(Host, out var upstream).ShouldBeTrue();
        return upstream!.FindPeer("127.0.0.1", backend.Port).ShouldNotBeNull();
    }
}
