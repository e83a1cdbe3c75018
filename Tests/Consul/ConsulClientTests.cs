using System.Diagnostics;
using System.Net;
using Shouldly;
using Slardar.Scriptable.Host.Consul;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Consul;

public sealed class ConsulClientTests
{
    private const string Prefix = "config/slardar/upstreams/";

    [Fact]
    public async Task PutGetListDelete_RoundTrip_ValuesSurviveBase64()
    {
        await using var consul = await ConsulDouble.StartAsync();
        using var client = ConsulTestClients.Create(consul.Address);
        var json = """{"servers":[{"host":"127.0.0.1","port":8001}]}""";

        (await client.PutAsync(Prefix + "a.example.com", json, null, default)).ShouldBeTrue();
        (await client.PutAsync(Prefix + "b.example.com", "{}", null, default)).ShouldBeTrue();
        (await client.PutAsync("config/slardar/other", "x", null, default)).ShouldBeTrue();

        var entry = (await client.GetAsync(Prefix + "a.example.com", default)).ShouldNotBeNull();
        entry.ValueAsString.ShouldBe(json);
        entry.CreateIndex.ShouldBeGreaterThan(0UL);
        entry.ModifyIndex.ShouldBe(entry.CreateIndex);

        var list = await client.ListAsync(Prefix, default);
        list.Value.Select(e => e.Key).ShouldBe([Prefix + "a.example.com", Prefix + "b.example.com"]);
        list.Index.ShouldBe(consul.Index);

        // ?raw answers the bytes themselves: what Slardar's dynamic args read.
        using var http = new HttpClient();
        (await http.GetStringAsync(new Uri(consul.Address, "v1/kv/" + Prefix + "a.example.com?raw"))).ShouldBe(json);

        (await client.DeleteAsync(Prefix + "a.example.com", null, default)).ShouldBeTrue();
        (await client.GetAsync(Prefix + "a.example.com", default)).ShouldBeNull();
        (await client.ListAsync(Prefix, default)).Value.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ListAsync_NothingUnderPrefix_IsEmptyWithIndex()
    {
        await using var consul = await ConsulDouble.StartAsync();
        using var client = ConsulTestClients.Create(consul.Address);

        var list = await client.ListAsync(Prefix, default);

        list.Value.ShouldBeEmpty();
        list.Index.ShouldBe(consul.Index);
    }

    [Fact]
    public async Task PutAsync_CasZero_CreatesOnlyWhenAbsent()
    {
        await using var consul = await ConsulDouble.StartAsync();
        using var client = ConsulTestClients.Create(consul.Address);

        (await client.PutAsync("k", "first", cas: 0, default)).ShouldBeTrue();
        (await client.PutAsync("k", "second", cas: 0, default)).ShouldBeFalse();

        (await client.GetAsync("k", default))!.ValueAsString.ShouldBe("first");
    }

    [Fact]
    public async Task PutAndDelete_CasMismatch_ReturnFalseAndChangeNothing()
    {
        await using var consul = await ConsulDouble.StartAsync();
        using var client = ConsulTestClients.Create(consul.Address);
        await client.PutAsync("k", "v1", null, default);
        var v1 = (await client.GetAsync("k", default))!;

        (await client.PutAsync("k", "v2", cas: v1.ModifyIndex + 100, default)).ShouldBeFalse();
        (await client.DeleteAsync("k", cas: v1.ModifyIndex + 100, default)).ShouldBeFalse();
        (await client.DeleteAsync("k", cas: 0, default)).ShouldBeFalse();
        (await client.PutAsync("k", "v2", cas: v1.ModifyIndex, default)).ShouldBeTrue();

        var v2 = (await client.GetAsync("k", default))!;
        v2.ValueAsString.ShouldBe("v2");
        v2.CreateIndex.ShouldBe(v1.CreateIndex);
        v2.ModifyIndex.ShouldBeGreaterThan(v1.ModifyIndex);
        (await client.DeleteAsync("k", cas: v2.ModifyIndex, default)).ShouldBeTrue();
        (await client.GetAsync("k", default)).ShouldBeNull();
    }

    [Fact]
    public async Task WatchAsync_ChangeWhileBlocking_ReturnsAtOnceWithNewIndex()
    {
        await using var consul = await ConsulDouble.StartAsync();
        using var client = ConsulTestClients.Create(consul.Address);
        var before = await client.ListAsync(Prefix, default);

        var watching = client.WatchAsync(Prefix, before.Index, TimeSpan.FromMinutes(1), default);
        (await consul.GetIndexes.ReadAsync()).ShouldBe(0UL);
        (await consul.GetIndexes.ReadAsync()).ShouldBe(before.Index); // the blocking query has arrived
        consul.Put(Prefix + "a", "{}");

        var after = await watching.WaitAsync(TimeSpan.FromSeconds(10));
        after.Index.ShouldBeGreaterThan(before.Index);
        after.Value.Single().Key.ShouldBe(Prefix + "a");
    }

    [Fact]
    public async Task WatchAsync_NoChange_ReturnsSameIndexWhenWaitRunsOut()
    {
        await using var consul = await ConsulDouble.StartAsync();
        using var client = ConsulTestClients.Create(consul.Address);
        consul.Put(Prefix + "a", "{}");
        var before = await client.ListAsync(Prefix, default);

        var clock = Stopwatch.StartNew();
        var after = await client.WatchAsync(Prefix, before.Index, TimeSpan.FromMilliseconds(300), default);

        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250));
        after.Index.ShouldBe(before.Index);
        after.Value.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Send_FirstAddressDead_FailsOverToSecondAndSticks()
    {
        await using var consul = await ConsulDouble.StartAsync();
        var dead = new Uri($"http://127.0.0.1:{DeadPeer.ReservePort()}/");
        using var client = ConsulTestClients.Create([dead, consul.Address]);
        consul.Put("k", "v");

        (await client.GetAsync("k", default))!.ValueAsString.ShouldBe("v");
        client.CurrentAddress.ShouldBe(consul.Address);

        (await client.GetAsync("k", default)).ShouldNotBeNull();
        consul.Requests.ShouldBe(2);
    }

    [Fact]
    public async Task Send_ServerErrorOnFirst_FailsOverToSecond()
    {
        await using var broken = await ConsulDouble.StartAsync();
        await using var healthy = await ConsulDouble.StartAsync();
        broken.FailNext(1);
        using var client = ConsulTestClients.Create([broken.Address, healthy.Address]);

        (await client.PutAsync("k", "v", null, default)).ShouldBeTrue();

        client.CurrentAddress.ShouldBe(healthy.Address);
        broken.Requests.ShouldBe(1);
    }

    [Fact]
    public async Task Send_OnlyAgentAnswers500_ThrowsWithAddressAndStatus()
    {
        await using var consul = await ConsulDouble.StartAsync();
        consul.FailNext(1);
        using var client = ConsulTestClients.Create(consul.Address);

        var error = await Should.ThrowAsync<ConsulException>(() => client.GetAsync("k", default));

        error.Status.ShouldBe(HttpStatusCode.InternalServerError);
        error.Address.ShouldBe(consul.Address);
        error.Message.ShouldContain(consul.Address.ToString());
        error.Message.ShouldContain("500");
    }

    [Fact]
    public async Task Send_AllAgentsDead_ThrowsNamingHowManyWereTried()
    {
        var first = new Uri($"http://127.0.0.1:{DeadPeer.ReservePort()}/");
        var second = new Uri($"http://127.0.0.1:{DeadPeer.ReservePort()}/");
        using var client = ConsulTestClients.Create([first, second]);

        var error = await Should.ThrowAsync<ConsulException>(() => client.GetAsync("k", default));

        error.Message.ShouldContain("2 tried");
        error.Status.ShouldBeNull();
    }

    [Fact]
    public async Task Send_TokenConfigured_SentAsConsulTokenHeader()
    {
        await using var consul = await ConsulDouble.StartAsync();
        consul.RequireToken("s3cret");
        using var client = ConsulTestClients.Create(consul.Address, token: "s3cret");

        (await client.PutAsync("k", "v", null, default)).ShouldBeTrue();

        consul.LastToken.ShouldBe("s3cret");
    }

    [Fact]
    public async Task Send_TokenMissing_ThrowsForbiddenWithoutFailover()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var other = await ConsulDouble.StartAsync();
        consul.RequireToken("s3cret");
        using var client = ConsulTestClients.Create([consul.Address, other.Address]);

        var error = await Should.ThrowAsync<ConsulException>(() => client.GetAsync("k", default));

        error.Status.ShouldBe(HttpStatusCode.Forbidden);
        error.Message.ShouldContain("Consul:Token");
        other.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task HealthServiceAsync_PassingOnly_DropsCriticalAndFallsBackToNodeAddress()
    {
        await using var consul = await ConsulDouble.StartAsync();
        using var client = ConsulTestClients.Create(consul.Address);
        consul.Register("web", "web-1", "10.1.0.1", 8080, meta: new Dictionary<string, string> { ["zone"] = "a" }, passingWeight: 5, warningWeight: 2);
        consul.Register("web", "web-2", "", 8081, node: "node-2", nodeAddress: "10.0.0.2");
        consul.Register("web", "web-3", "10.1.0.3", 8082);
        consul.Register("api", "api-1", "10.2.0.1", 9000);
        consul.SetCheck("web-3", "critical");

        var all = await client.HealthServiceAsync("web", passingOnly: false, 0, TimeSpan.Zero, default);
        var passing = await client.HealthServiceAsync("web", passingOnly: true, 0, TimeSpan.Zero, default);

        all.Value.Count.ShouldBe(3);
        all.Value.Single(i => i.ServiceId == "web-3").Status.ShouldBe(ConsulHealthStatus.Critical);
        passing.Index.ShouldBe(consul.Index);
        passing.Value.Select(i => i.ServiceId).ShouldBe(["web-1", "web-2"]);
        var first = passing.Value[0];
        (first.Address, first.Port, first.Meta["zone"], first.Weights).ShouldBe(("10.1.0.1", 8080, "a", new ConsulServiceWeights(5, 2)));
        var second = passing.Value[1];
        (second.Address, second.Node, second.Status).ShouldBe(("10.0.0.2", "node-2", ConsulHealthStatus.Passing));
    }

    [Fact]
    public async Task HealthServiceAsync_Blocking_ReturnsWhenACheckChanges()
    {
        await using var consul = await ConsulDouble.StartAsync();
        using var client = ConsulTestClients.Create(consul.Address);
        consul.Register("web", "web-1", "10.1.0.1", 8080);
        var before = await client.HealthServiceAsync("web", passingOnly: true, 0, TimeSpan.Zero, default);
        await consul.GetIndexes.ReadAsync();

        var watching = client.HealthServiceAsync("web", passingOnly: true, before.Index, TimeSpan.FromMinutes(1), default);
        (await consul.GetIndexes.ReadAsync()).ShouldBe(before.Index);
        consul.SetCheck("web-1", "critical");

        var after = await watching.WaitAsync(TimeSpan.FromSeconds(10));
        after.Index.ShouldBeGreaterThan(before.Index);
        after.Value.ShouldBeEmpty();
    }
}
