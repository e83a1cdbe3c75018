using System.Net;
using Microsoft.AspNetCore.Http;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Specs;

/// <summary>POST /spec and POST /script?test=true on a real gateway: the spec runs in a throw-away copy, never on live traffic.</summary>
public sealed class SpecEndpointTests
{
    private const string Script = """
        if (Request.Path == "/deny") return Exit(403);
        Request.Headers["X-Seen"] = "yes";
        """;

    private const string Spec = """
        === Test 1: denied
        --- request
        GET /deny
        Host: app.test
        --- response
        403

        === Test 2: proxied to the echo, not to the live backend
        --- request
        GET /pass/{{20 + 22}}
        Host: app.test
        --- response
        200
        --- response_eval
        Response.Json["path"] == "/pass/42"
        Response.Json["headers"]["X-Seen"] == "yes"
        Response.Headers["X-Demo-Upstream"] == "echo"

        === Test 3: fails on purpose
        --- request
        GET /deny
        Host: app.test
        --- response
        200
        --- response_eval
        Response.Status == 201
        """;

    private static async Task<(TestGateway Gateway, TestBackend Backend)> StartAsync()
    {
        var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("live"));
        return (await TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream("app.test", backend.Address))), backend);
    }

    [Fact]
    public async Task PostSpec_PassingAndFailingBlocks_Is200WithOneEntryPerBlock_AndNoLiveTraffic()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", Script)).Status);

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/spec", Spec);

        Assert.Equal(200, status);
        Assert.False(json!["pass"]!.GetValue<bool>());
        var blocks = json["blocks"]!.AsArray();
        Assert.Equal([true, true, false], blocks.Select(b => b!["pass"]!.GetValue<bool>()));
        Assert.Equal("fails on purpose", blocks[2]!["name"]!.GetValue<string>());
        Assert.Equal([(1, 6), (8, 17), (19, 26)], blocks.Select(b => (b!["line"]!.GetValue<int>(), b["end_line"]!.GetValue<int>())));
        var mismatches = blocks[2]!["mismatches"]!.AsArray();
        Assert.Equal(("status", 24, "200", "403"), (mismatches[0]!["what"]!.GetValue<string>(), mismatches[0]!["line"]!.GetValue<int>(), mismatches[0]!["expected"]!.GetValue<string>(), mismatches[0]!["actual"]!.GetValue<string>()));
        Assert.Equal(("assertion", 26), (mismatches[1]!["what"]!.GetValue<string>(), mismatches[1]!["line"]!.GetValue<int>()));
        Assert.Contains("line 24: status", blocks[2]!["diff"]!.GetValue<string>());
        Assert.Equal(0, backend.Requests);
    }

    [Fact]
    public async Task PostSpec_SetupScriptAndModule_ApplyOnlyInTheSandbox()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/spec", """
            === Test 1: a module and a script of the spec's own
            --- setup
            upstream other.test
            module acme.teapot <<END
            namespace Acme.Teapot;
            public static class Pot { public static int Code() => 418; }
            END
            script other.test <<END
            return Exit(Acme.Teapot.Pot.Code());
            END
            --- request
            GET /
            Host: other.test
            --- response
            418
            """);

        Assert.Equal(200, status);
        Assert.True(json!["pass"]!.GetValue<bool>(), json.ToJsonString());
        Assert.Equal(404, (await gateway.AdminAsync(HttpMethod.Get, "/module/acme.teapot")).Status);
        Assert.Equal(404, (await gateway.AdminAsync(HttpMethod.Get, "/script/other.test")).Status);
    }

    [Theory]
    [InlineData("=== Test 1: a\n--- nope\n", 2)]
    [InlineData("=== Test 1: a\n--- setup\nscript a.test < ../../etc/passwd\n--- request\nGET /\n--- response\n200", -1)]
    public async Task PostSpec_MalformedOrEscaping_IsAClearAnswer(string spec, int line)
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/spec", spec);

        if (line > 0)
        {
            Assert.Equal((400, line), (status, json!["line"]!.GetValue<int>()));
        }
        else
        {
            // A file read from the admin API: refused as the block's failure, nothing read.
            Assert.Equal(200, status);
            Assert.Contains("read only from a spec file", json!["blocks"]![0]!["diff"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task PostSpec_HugeBody_Is4xx()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;

        var (status, _) = await gateway.AdminAsync(HttpMethod.Post, "/spec", "=== Test 1: a\n" + new string('#', 2 * 1024 * 1024));

        Assert.InRange(status, 400, 413);
    }

    [Fact]
    public async Task PostScriptWithTest_FailingSpec_IsRefusedAndTheOldScriptServes_PassingSpecActivates()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", Script)).Status);
        var folder = Path.Combine(gateway.Folder, "Scripts", "app.test");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "rewrite.spec"), "=== Test 1: denied\n--- request\nGET /deny\nHost: app.test\n--- response\n403\n");

        var (refused, json) = await gateway.AdminAsync(HttpMethod.Post, "/script/app.test?test=true", "return Next;");

        Assert.Equal(400, refused);
        Assert.Contains("fails its spec rewrite.spec", json!["msg"]!.GetValue<string>());
        Assert.False(json["spec"]!["blocks"]![0]!["pass"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync("app.test", "/deny")).StatusCode);

        var (accepted, _) = await gateway.AdminAsync(HttpMethod.Post, "/script/app.test?test=true", "if (Request.Path == \"/deny\") return Exit(403);\nreturn Exit(204);");

        Assert.Equal(200, accepted);
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.GetAsync("app.test", "/other")).StatusCode);
    }

    [Fact]
    public async Task PostScriptWithTest_NoSpecFile_Is400()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/script/app.test?test=true", "return Next;");

        Assert.Equal(400, status);
        Assert.Contains("no spec for app.test", json!["msg"]!.GetValue<string>());
    }
}
