using Shouldly;
using Slardar.Scriptable.Tests.Support;
using static Slardar.Scriptable.Tests.Consul.ConsulGateways;

namespace Slardar.Scriptable.Tests.Consul;

/// <summary>Modules through Consul's <c>modules/&lt;name&gt;</c>: applied before the scripts of the same snapshot, written through, followed live.</summary>
public sealed class ConsulModuleTests
{
    private static string ModuleKey(string name) => Prefix + "modules/" + name;

    private static string Greeting(string word) => $$"""
        namespace Acme.Greet;
        public static class Words { public static string Hello() => "{{word}}"; }
        """;

    [Fact]
    public async Task Startup_KvHoldsAModuleAndAScriptUsingIt_ServesFromTheFirstRequest()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var backend = await TestBackend.StartNamedAsync("one");
        consul.Put(UpstreamKey("web.test"), Servers(backend));

        // The script's key sorts before the module's: the module still applies first.
        consul.Put(ScriptKey("web.test", "rewrite"), "return Exit(200, Acme.Greet.Words.Hello());");
        consul.Put(ModuleKey("acme.greet"), Greeting("hi"));

        await using var gateway = await StartAsync(consul);

        (await BodyAsync(gateway, "web.test")).ShouldBe("hi");
        (await ConsulStatusAsync(gateway))["rejected"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task AdminWrite_ModuleChangeOnOneGateway_RecompilesTheScriptOnBoth()
    {
        await using var consul = await ConsulDouble.StartAsync();
        await using var backend = await TestBackend.StartNamedAsync("one");
        consul.Put(UpstreamKey("web.test"), Servers(backend));
        await using var a = await StartAsync(consul);
        await using var b = await StartAsync(consul);

        (await a.AdminAsync(HttpMethod.Post, "/module/acme.greet", Greeting("hi"))).Status.ShouldBe(200);
        consul.Get(ModuleKey("acme.greet")).ShouldBe(Greeting("hi"));
        await Poll.UntilAsync(() => b.AdminAsync(HttpMethod.Get, "/module/acme.greet"), answer => answer.Status == 200, Limit, "the module to reach the other gateway");
        (await b.AdminAsync(HttpMethod.Post, "/script/web.test", "return Exit(200, Acme.Greet.Words.Hello());")).Status.ShouldBe(200);
        await UntilBodyAsync(a, "web.test", body => body == "hi", "the script to serve on the first gateway");

        (await a.AdminAsync(HttpMethod.Post, "/module/acme.greet", Greeting("hello"))).Status.ShouldBe(200);

        await UntilBodyAsync(a, "web.test", body => body == "hello", "the module change on the gateway that made it");
        await UntilBodyAsync(b, "web.test", body => body == "hello", "the module change on the other gateway");
        (await b.AdminAsync(HttpMethod.Delete, "/module/acme.greet")).Status.ShouldBe(409);
        consul.Get(ModuleKey("acme.greet")).ShouldNotBeNull();
    }
}
