using System.Net;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Admin;

/// <summary>Slardar's /upstream API over real HTTP, bodies sent as curl -d sends them.</summary>
public sealed class UpstreamApiTests
{
    private static string Servers(params TestBackend[] backends) =>
        "{\"servers\":[" + string.Join(",", backends.Select(b => $"{{\"host\":\"127.0.0.1\",\"port\":{b.Port}}}")) + "]}";

    [Fact]
    public async Task Post_Servers_MovesTrafficAtOnce()
    {
        await using var one = await TestBackend.StartNamedAsync("one");
        await using var two = await TestBackend.StartNamedAsync("two");
        await using var gateway = await TestGateway.StartAsync();

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/upstream/node-dev.example.com", Servers(one));
        Assert.Equal(200, status);
        Assert.Equal(200, json!["status"]!.GetValue<int>());
        Assert.Equal("one", await (await gateway.GetAsync("node-dev.example.com")).Content.ReadAsStringAsync());

        (status, _) = await gateway.AdminAsync(HttpMethod.Put, "/upstream/node-dev.example.com", Servers(two));
        Assert.Equal(200, status);
        Assert.Equal("two", await (await gateway.GetAsync("node-dev.example.com")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_Servers_KeepsOtherFieldsAndCollapsesToOneLevel()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.AdminAsync(HttpMethod.Post, "/upstream/web",
            """{"cluster":[{"servers":[{"host":"10.0.0.1","port":80}]},{"servers":[{"host":"10.0.0.2","port":80}]}],"try":3,"typ":"http"}""");

        var (status, _) = await gateway.AdminAsync(HttpMethod.Post, "/upstream/web", """{"servers":[{"host":"10.0.0.3","port":81}],"try_timeout":2}""");
        var (_, upstream) = await gateway.AdminAsync(HttpMethod.Get, "/upstream/web");

        Assert.Equal(200, status);
        Assert.Equal(3, upstream!["try"]!.GetValue<int>());
        Assert.Equal("http", upstream["typ"]!.GetValue<string>());
        Assert.Equal(2, upstream["try_timeout"]!.GetValue<int>());
        var level = Assert.Single(upstream["cluster"]!.AsArray());
        Assert.Equal(81, level!["servers"]![0]!["port"]!.GetValue<int>());
    }

    [Fact]
    public async Task Post_Cluster_ReplacesTheWholeUpstream()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.AdminAsync(HttpMethod.Post, "/upstream/web", """{"servers":[{"host":"10.0.0.1","port":80}],"try":3}""");

        await gateway.AdminAsync(HttpMethod.Post, "/upstream/web", """{"cluster":[{"servers":[{"host":"10.0.0.9","port":90}]}]}""");
        var (_, upstream) = await gateway.AdminAsync(HttpMethod.Get, "/upstream/web");

        Assert.Null(upstream!["try"]);
        Assert.Equal("10.0.0.9", upstream["cluster"]![0]!["servers"]![0]!["host"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("web", "{\"servers\":[{\"host\":\"a\",\"port\":1}", "decode body error")]
    [InlineData("web", "[]", "body invalid")]
    [InlineData("web", "{\"servers\":[{\"host\":\"a\",\"port\":1}],\"colour\":\"red\"}", "unknown field \"colour\"")]
    [InlineData("web", "{\"servers\":[{\"port\":1}]}", "no server.host nor server.port found")]
    [InlineData("web", "{\"servers\":[{\"host\":\"a\"}]}", "no server.host nor server.port found")]
    [InlineData("web", "{\"servers\":[{\"host\":\"a\",\"port\":70000}]}", "servers[0].port: must be an integer in 1..65535")]
    [InlineData("web", "{\"servers\":[{\"host\":\"a\",\"port\":\"80\"}]}", "not a string")]
    [InlineData("web", "{\"servers\":[]}", "servers invalid: empty")]
    [InlineData("web", "{\"cluster\":[]}", "cluster invalid: empty")]
    [InlineData("web", "{\"servers\":[{\"host\":\"a\",\"port\":1}],\"typ\":\"ping\"}", "typ: must be one of")]
    [InlineData("web", "{\"try\":2}", "needs \"servers\" or \"cluster\"")]
    [InlineData("we$b", "{\"servers\":[{\"host\":\"a\",\"port\":1}]}", "invalid upstream name")]
    public async Task Post_BadBody_Is400NamingTheProblemAndChangesNothing(string name, string body, string expected)
    {
        await using var backend = await TestBackend.StartNamedAsync("kept");
        await using var gateway = await TestGateway.StartAsync();
        await gateway.AdminAsync(HttpMethod.Post, "/upstream/web", Servers(backend));
        var (_, before) = await gateway.AdminAsync(HttpMethod.Get, "/upstream/web");

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/upstream/" + Uri.EscapeDataString(name), body);

        Assert.Equal(400, status);
        Assert.Equal(400, json!["status"]!.GetValue<int>());
        Assert.Contains(expected, json["msg"]!.GetValue<string>());
        var (_, after) = await gateway.AdminAsync(HttpMethod.Get, "/upstream/web");
        Assert.True(JsonNode.DeepEquals(before, after));
        var (_, versions) = await gateway.AdminAsync(HttpMethod.Get, "/upstream/web/versions");
        Assert.Single(versions!["versions"]!.AsArray());
        Assert.Equal("kept", await (await gateway.GetAsync("web")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_BodyOver1MB_Is400()
    {
        await using var gateway = await TestGateway.StartAsync();
        var huge = "{\"servers\":[{\"host\":\"a\",\"port\":1}],\"x\":\"" + new string('x', 1024 * 1024) + "\"}";

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/upstream/web", huge);

        Assert.Equal(400, status);
        Assert.Contains("body too big", json!["msg"]!.GetValue<string>());
        Assert.Equal(404, (await gateway.AdminAsync(HttpMethod.Get, "/upstream/web")).Status);
    }

    [Fact]
    public async Task Delete_Existing_RemovesItAndTrafficStops()
    {
        await using var backend = await TestBackend.StartNamedAsync("x");
        await using var gateway = await TestGateway.StartAsync();
        await gateway.AdminAsync(HttpMethod.Post, "/upstream/gone.test", Servers(backend));

        var (status, json) = await gateway.AdminAsync(HttpMethod.Delete, "/upstream/gone.test");

        Assert.Equal(200, status);
        Assert.Equal(200, json!["status"]!.GetValue<int>());
        Assert.Equal(404, (await gateway.AdminAsync(HttpMethod.Get, "/upstream/gone.test")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.GetAsync("gone.test")).StatusCode);
    }

    [Fact]
    public async Task Delete_Unknown_Is400UpstreamNotFound()
    {
        await using var gateway = await TestGateway.StartAsync();

        var (status, json) = await gateway.AdminAsync(HttpMethod.Delete, "/upstream/nobody");

        Assert.Equal(400, status);
        Assert.Equal("upstream nobody not found", json!["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_Is405MethodNotAllowed()
    {
        await using var gateway = await TestGateway.StartAsync();

        var (status, json) = await gateway.AdminAsync(HttpMethod.Patch, "/upstream/web", "{}");

        Assert.Equal(405, status);
        Assert.Equal("method not allowed", json!["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetUpstreams_ListsEveryUpstreamInCanonicalForm()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream("from-config", "127.0.0.1:9")));
        await gateway.AdminAsync(HttpMethod.Post, "/upstream/from-api", """{"servers":[{"host":"127.0.0.1","port":10,"weight":3}]}""");

        var (status, all) = await gateway.AdminAsync(HttpMethod.Get, "/upstreams");

        Assert.Equal(200, status);
        Assert.Equal(["from-api", "from-config"], all!.AsObject().Select(p => p.Key).Order());
        Assert.Equal(3, all["from-api"]!["cluster"]![0]!["servers"]![0]!["weight"]!.GetValue<int>());
    }

    [Fact]
    public async Task Versions_EveryChangeIsRecordedAndAuditedAndRollbackRestoresOne()
    {
        await using var one = await TestBackend.StartNamedAsync("one");
        await using var two = await TestBackend.StartNamedAsync("two");
        await using var gateway = await TestGateway.StartAsync();
        await gateway.AdminAsync(HttpMethod.Post, "/upstream/v.test", Servers(one));
        await gateway.AdminAsync(HttpMethod.Post, "/upstream/v.test", Servers(two));

        var (_, history) = await gateway.AdminAsync(HttpMethod.Get, "/upstream/v.test/versions");
        var versions = history!["versions"]!.AsArray();
        Assert.Equal([2, 1], versions.Select(v => v!["version"]!.GetValue<int>()));
        Assert.All(versions, v => Assert.Equal("api", v!["origin"]!.GetValue<string>()));

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/upstream/v.test/rollback?version=1");

        Assert.Equal(200, status);
        Assert.Equal(3, json!["version"]!.GetValue<int>());
        Assert.Equal("one", await (await gateway.GetAsync("v.test")).Content.ReadAsStringAsync());
        var (_, audit) = await gateway.AdminAsync(HttpMethod.Get, "/audit");
        var lines = audit!.AsArray().Where(e => e!["target"]!.GetValue<string>() == "v.test")
            .Select(e => (e!["action"]!.GetValue<string>(), e["detail"]!.GetValue<string>())).ToList();
        Assert.Equal(
            [("upstream.rollback", "to version 1 (recorded as version 3)"), ("upstream.update", "origin=api version=2"), ("upstream.create", "origin=api version=1")],
            lines);
    }

    [Theory]
    [InlineData("/upstream/v.test/rollback", "rollback needs ?version=")]
    [InlineData("/upstream/v.test/rollback?version=9", "has no version 9")]
    public async Task Rollback_BadVersion_Is400(string path, string expected)
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.AdminAsync(HttpMethod.Post, "/upstream/v.test", """{"servers":[{"host":"a","port":1}]}""");

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, path);

        Assert.Equal(400, status);
        Assert.Contains(expected, json!["msg"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false, """{"servers":[{"host":"10.0.0.1","port":80}],"servers":[{"host":"10.0.0.2","port":80}]}""", "duplicate field \"servers\"")]
    [InlineData(true, """{"servers":[{"host":"10.0.0.1","port":80}],"servers":[{"host":"10.0.0.2","port":80}]}""", "duplicate field \"servers\"")]
    [InlineData(true, """{"servers":[{"host":"10.0.0.1","port":80}],"try":2,"try":3}""", "duplicate field \"try\"")]
    [InlineData(true, """{"servers":[{"host":"10.0.0.1","port":80},{"host":"10.0.0.2","host":"10.0.0.3","port":80}]}""", "duplicate field \"servers[1].host\"")]
    [InlineData(false, """{"cluster":{"dc1":{"servers":[{"host":"10.0.0.1","port":80}]},"dc1":{"servers":[]}}}""", "duplicate field \"cluster.dc1\"")]
    public async Task Post_DuplicateKey_Is400NamingTheKey(bool exists, string body, string expected)
    {
        await using var gateway = await TestGateway.StartAsync();
        if (exists)
        {
            // A "servers" body is merged into the stored upstream: the path that built a JsonObject.
            Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/upstream/web", """{"servers":[{"host":"10.0.0.1","port":80}]}""")).Status);
        }

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/upstream/web", body);

        Assert.Equal(400, status);
        Assert.Equal(expected, json!["msg"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Post_HostOfInvalidUtf8_Is400NamingTheField(bool exists)
    {
        await using var gateway = await TestGateway.StartAsync();
        if (exists)
        {
            Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/upstream/web", """{"servers":[{"host":"10.0.0.1","port":80}]}""")).Status);
        }

        byte[] body = [.. "{\"servers\":[{\"host\":\""u8, 0xC3, 0x28, 0xFF, .. "\",\"port\":1}]}"u8];
        using var response = await gateway.Admin.PostAsync("/upstream/web", new ByteArrayContent(body));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("decode body error: invalid UTF-8 in \"servers[0].host\"", json!["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_HostOf10KB_Is400NamingTheField()
    {
        await using var gateway = await TestGateway.StartAsync();

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/upstream/web", $$"""{"servers":[{"host":"{{new string('a', 10_240)}}","port":1}]}""");

        Assert.Equal(400, status);
        Assert.StartsWith("servers[0].host: must be a host name or IP address", json!["msg"]!.GetValue<string>());
    }
}
