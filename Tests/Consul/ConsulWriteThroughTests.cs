using System.Net;
using Shouldly;
using Slardar.Scriptable.Tests.Support;
using static Slardar.Scriptable.Tests.Consul.ConsulGateways;

namespace Slardar.Scriptable.Tests.Consul;

/// <summary>Admin writes with Consul as the source of truth: Consul first (with check-and-set), then every gateway from its watch.</summary>
public sealed class ConsulWriteThroughTests
{
    private const string Host = "web.test";

    [Fact]
    public async Task AdminWrite_OnOneOfTwoGateways_GoesToConsulAndServesOnBoth()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var one = await TestBackend.StartNamedAsync("one");
        await using var a = await StartAsync(consul);
        await using var b = await StartAsync(consul);

        var (status, json) = await a.AdminAsync(HttpMethod.Post, $"/upstream/{Host}", Servers(one));

        status.ShouldBe(200);
        json!["version"]!.GetValue<int>().ShouldBe(1);
        consul.Get(UpstreamKey(Host)).ShouldNotBeNull().ShouldContain($"\"port\":{one.Port}");
        (await BodyAsync(a, Host)).ShouldBe("one"); // the writer answered only once its own watch applied it
        var (_, audit) = await a.AdminAsync(HttpMethod.Get, "/audit");
        audit!.AsArray().ShouldContain(e => e!["action"]!.GetValue<string>() == "consul.put" && e["actor"]!.GetValue<string>().StartsWith("api:", StringComparison.Ordinal));
        await UntilBodyAsync(b, Host, body => body == "one", "the other gateway to serve the upstream written on the first");

        (status, _) = await b.AdminAsync(HttpMethod.Post, $"/script/{Host}", """return Exit(200, "scripted");""");
        status.ShouldBe(200);
        (await BodyAsync(b, Host)).ShouldBe("scripted");
        await UntilBodyAsync(a, Host, body => body == "scripted", "the script written on the second gateway to serve on the first");
        var (_, history) = await a.AdminAsync(HttpMethod.Get, $"/script/{Host}/rewrite/versions");
        history!["versions"]![0]!["origin"]!.GetValue<string>().ShouldBe("consul");

        (status, _) = await a.AdminAsync(HttpMethod.Delete, $"/script/{Host}");
        status.ShouldBe(200);
        consul.Get(ScriptKey(Host, "rewrite")).ShouldBeNull();
        (await BodyAsync(a, Host)).ShouldBe("one");
        await UntilBodyAsync(b, Host, body => body == "one", "the script deleted on the first gateway to unbind on the second");
    }

    [Fact]
    public async Task AdminWrite_GatewaysInTwoProcesses_EachSeesTheOthersWrite()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var one = await TestBackend.StartNamedAsync("one");
        await using var inProcess = await StartAsync(consul);
        // A longer Consul bound than in-process: a fresh process on a loaded machine (the suite runs
        // in parallel) can take seconds to answer its first writes, and no timeout is under test here.
        await using var child = await GatewayProcess.StartAsync(
            $"--Consul:Address={consul.Address}", $"--Consul:Prefix={Prefix}", "--Consul:RequestTimeoutSeconds=15", "--Checkups:ActiveChecks=false");
        using var client = new HttpClient();

        (await inProcess.AdminAsync(HttpMethod.Post, $"/upstream/{Host}", Servers(one))).Status.ShouldBe(200);
        await Poll.UntilAsync(() => ChildBodyAsync(client, child), body => body == "one", Limit, "the child process to serve the upstream written in-process");

        using var write = await client.PostAsync(child.AdminUrl + $"/script/{Host}", new StringContent("""return Exit(200, "from the child");"""));
        write.StatusCode.ShouldBe(HttpStatusCode.OK, await write.Content.ReadAsStringAsync());
        await UntilBodyAsync(inProcess, Host, body => body == "from the child", "the in-process gateway to serve the script written on the child");
    }

    private static async Task<string> ChildBodyAsync(HttpClient client, GatewayProcess child)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, child.ProxyUrl + "/");
        request.Headers.Host = Host;
        using var response = await client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task AdminWrite_InvalidBodyOrScript_Is400AndNothingReachesConsul()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var gateway = await StartAsync(consul);
        var before = consul.Index;

        (await gateway.AdminAsync(HttpMethod.Post, $"/upstream/{Host}", """{"servers":[{"host":"127.0.0.1"}]}""")).Status.ShouldBe(400);
        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, $"/script/{Host}", "return Exit(;");

        status.ShouldBe(400);
        json!["diagnostics"]!.AsArray().ShouldNotBeEmpty();
        consul.Index.ShouldBe(before);
    }

    [Fact]
    public async Task AdminWrite_KeyChangedInConsulSinceTheGatewayReadIt_Is409AndConsulKeepsTheOtherChange()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var one = await TestBackend.StartNamedAsync("one");
        await using var two = await TestBackend.StartNamedAsync("two");
        await using var three = await TestBackend.StartNamedAsync("three");
        consul.Put(UpstreamKey(Host), Servers(one));
        await using var gateway = await StartAsync(consul);

        // Someone else changes the key; this gateway's watch has not been told yet.
        consul.HoldWatches();
        consul.Put(UpstreamKey(Host), Servers(two));
        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, $"/upstream/{Host}", Servers(three));

        status.ShouldBe(409);
        json!["msg"]!.GetValue<string>().ShouldContain("changed in Consul since this gateway read it");
        consul.Get(UpstreamKey(Host)).ShouldNotBeNull().ShouldContain($"\"port\":{two.Port}");
        (await BodyAsync(gateway, Host)).ShouldBe("one");

        consul.ReleaseWatches();
        await UntilBodyAsync(gateway, Host, body => body == "two", "the other change to arrive");
        (status, _) = await gateway.AdminAsync(HttpMethod.Post, $"/upstream/{Host}", Servers(three));
        status.ShouldBe(200);
        (await BodyAsync(gateway, Host)).ShouldBe("three");
    }

    [Fact]
    public async Task AdminRollback_WithConsul_WritesTheOldVersionToConsul()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var one = await TestBackend.StartNamedAsync("one");
        await using var two = await TestBackend.StartNamedAsync("two");
        await using var gateway = await StartAsync(consul);
        (await gateway.AdminAsync(HttpMethod.Post, $"/upstream/{Host}", Servers(one))).Status.ShouldBe(200);
        (await gateway.AdminAsync(HttpMethod.Post, $"/upstream/{Host}", Servers(two))).Status.ShouldBe(200);

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, $"/upstream/{Host}/rollback?version=1");

        status.ShouldBe(200);
        json!["version"]!.GetValue<int>().ShouldBe(3);
        consul.Get(UpstreamKey(Host)).ShouldNotBeNull().ShouldContain($"\"port\":{one.Port}");
        (await BodyAsync(gateway, Host)).ShouldBe("one");

        (status, _) = await gateway.AdminAsync(HttpMethod.Delete, $"/upstream/{Host}");
        status.ShouldBe(200);
        consul.Get(UpstreamKey(Host)).ShouldBeNull();
        (await gateway.GetAsync(Host)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
