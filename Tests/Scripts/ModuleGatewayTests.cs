using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripts;

/// <summary>Modules through the admin API, the Scripts folder and a restart, acting on real proxied requests.</summary>
public sealed class ModuleGatewayTests
{
    private const string Auth = """
        namespace Acme.Auth;

        public static class Tokens
        {
            public static bool IsValid(string? token) => token == "good";
        }
        """;

    private const string AuthStricter = """
        namespace Acme.Auth;

        public static class Tokens
        {
            public static bool IsValid(string? token) => token == "better";
        }
        """;

    private const string UsesAuth = """
        using Acme.Auth;
        if (!Tokens.IsValid(Request.Headers["X-Token"])) return Exit(401);
        """;

    private static async Task<(TestGateway Gateway, TestBackend Backend)> StartAsync(string? folder = null)
    {
        var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("a.test", backend.Address).Concat(TestGateway.Upstream("b.test", backend.Address)));
        return (await TestGateway.StartAsync(settings, folder: folder), backend);
    }

    private static async Task<HttpStatusCode> SendAsync(TestGateway gateway, string host, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = host;
        if (token is not null)
        {
            request.Headers.Add("X-Token", token);
        }

        using var response = await gateway.Client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task PostOkAsync(TestGateway gateway, string path, string body)
    {
        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, path, body);
        Assert.True(status == 200, $"{path}: {status} {json}");
    }

    [Fact]
    public async Task Module_UsedByTwoHosts_ServesBothAndListsItsUsers()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;

        await PostOkAsync(gateway, "/module/acme.auth", Auth);
        await PostOkAsync(gateway, "/script/a.test", UsesAuth);
        await PostOkAsync(gateway, "/script/b.test/auth", UsesAuth);

        Assert.Equal(HttpStatusCode.OK, await SendAsync(gateway, "a.test", "good"));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(gateway, "b.test", "bad"));
        var (_, list) = await gateway.AdminAsync(HttpMethod.Get, "/modules");
        var module = list!["modules"]!.AsArray().Single()!;
        Assert.Equal("acme.auth", module["name"]!.GetValue<string>());
        Assert.Equal(["a.test/rewrite", "b.test/auth"], module["users"]!.AsArray().Select(u => u!.GetValue<string>()));
        var (status, one) = await gateway.AdminAsync(HttpMethod.Get, "/module/acme.auth");
        Assert.Equal((200, Auth), (status, one!["source"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ModuleChange_RecompilesEveryDependentTogether()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await PostOkAsync(gateway, "/module/acme.auth", Auth);
        await PostOkAsync(gateway, "/script/a.test", UsesAuth);
        await PostOkAsync(gateway, "/script/b.test", "return Exit(Acme.Auth.Tokens.IsValid(Request.Headers[\"X-Token\"]) ? 204 : 403);");
        await PostOkAsync(gateway, "/script/c.test", "return Exit(200);");

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/module/acme.auth", AuthStricter);

        Assert.Equal(200, status);
        Assert.Equal(2, json!["version"]!.GetValue<int>());
        Assert.Equal(["a.test/rewrite", "b.test/rewrite"], json["recompiled"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(gateway, "a.test", "good"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(gateway, "a.test", "better"));
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(gateway, "b.test", "better"));

        // The scripts' own versions stay: only their image changed.
        var (_, script) = await gateway.AdminAsync(HttpMethod.Get, "/script/a.test");
        Assert.Equal(1, script!["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task ModuleChange_BreakingADependent_Is400WithItsDiagnosticsAndNothingChanges()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await PostOkAsync(gateway, "/module/acme.auth", Auth);
        await PostOkAsync(gateway, "/script/a.test", UsesAuth);
        await PostOkAsync(gateway, "/script/b.test", UsesAuth);

        // IsValid now takes two arguments: both scripts break at their line 2.
        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/module/acme.auth", """
            namespace Acme.Auth;
            public static class Tokens
            {
                public static bool IsValid(string? token, string realm) => token == realm;
            }
            """);

        Assert.Equal(400, status);
        Assert.Contains("would break 2 script(s)", json!["msg"]!.GetValue<string>());
        var dependents = json["dependents"]!.AsArray();
        Assert.Equal(["a.test/rewrite", "b.test/rewrite"], dependents.Select(d => d!["script"]!.GetValue<string>()).Order());
        var error = dependents[0]!["diagnostics"]!.AsArray().First(d => d!["severity"]!.GetValue<string>() == "error")!;
        Assert.Equal((2, "CS7036"), (error["line"]!.GetValue<int>(), error["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(gateway, "a.test", "good"));
        var (_, module) = await gateway.AdminAsync(HttpMethod.Get, "/module/acme.auth");
        Assert.Equal((1, Auth), (module!["version"]!.GetValue<int>(), module["source"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ModuleChange_BreakingADependentInsideTheModule_MapsTheErrorToTheModuleLine()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await PostOkAsync(gateway, "/module/acme.auth", Auth);

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/module/acme.auth", "namespace Acme.Auth;\npublic static class Tokens\n{\n    public static bool IsValid(string? t) => System.IO.File.Exists(t);\n}\n");

        Assert.Equal(400, status);
        var error = json!["diagnostics"]!.AsArray().First()!;
        Assert.Equal(("_modules/acme.auth.cs", 4, "SLS0001"), (error["file"]!.GetValue<string>(), error["line"]!.GetValue<int>(), error["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Delete_WhileUsed_Is409NamingTheUsers_ThenSucceedsOnceUnused()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await PostOkAsync(gateway, "/module/acme.auth", Auth);
        await PostOkAsync(gateway, "/script/a.test", UsesAuth);

        var (refused, json) = await gateway.AdminAsync(HttpMethod.Delete, "/module/acme.auth");

        Assert.Equal(409, refused);
        Assert.Equal(["a.test/rewrite"], json!["users"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Contains("a.test/rewrite", json["msg"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, await SendAsync(gateway, "a.test", "good"));

        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Delete, "/script/a.test")).Status);
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Delete, "/module/acme.auth")).Status);
        Assert.Equal(404, (await gateway.AdminAsync(HttpMethod.Get, "/module/acme.auth")).Status);
        Assert.Equal(400, (await gateway.AdminAsync(HttpMethod.Post, "/script/a.test", UsesAuth)).Status);
    }

    [Fact]
    public async Task Delete_AModuleAnotherModuleUses_Is400()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await PostOkAsync(gateway, "/module/acme.auth", Auth);
        await PostOkAsync(gateway, "/module/acme.gate", "namespace Acme.Gate;\npublic static class Gate { public static bool Open(string? t) => Acme.Auth.Tokens.IsValid(t); }\n");

        var (status, json) = await gateway.AdminAsync(HttpMethod.Delete, "/module/acme.auth");

        Assert.Equal(400, status);
        Assert.Equal("_modules/acme.gate.cs", json!["diagnostics"]!.AsArray().First()!["file"]!.GetValue<string>());
    }

    [Fact]
    public async Task DryRun_ChecksWithoutStoring_AndRollbackServesAnEarlierVersion()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        await PostOkAsync(gateway, "/module/acme.auth", Auth);
        await PostOkAsync(gateway, "/script/a.test", UsesAuth);

        var (dry, dryJson) = await gateway.AdminAsync(HttpMethod.Post, "/module/acme.auth?dry_run=true", AuthStricter);
        Assert.Equal(200, dry);
        Assert.True(dryJson!["dry_run"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, await SendAsync(gateway, "a.test", "good"));

        await PostOkAsync(gateway, "/module/acme.auth", AuthStricter);
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(gateway, "a.test", "good"));
        var (_, versions) = await gateway.AdminAsync(HttpMethod.Get, "/module/acme.auth/versions");
        Assert.Equal(2, versions!["versions"]!.AsArray().Count);

        var (rolled, rolledJson) = await gateway.AdminAsync(HttpMethod.Post, "/module/acme.auth/rollback?version=1");
        Assert.Equal(200, rolled);
        Assert.Equal(3, rolledJson!["version"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, await SendAsync(gateway, "a.test", "good"));
    }

    [Theory]
    [InlineData("/module/Acme", "namespace A;")]
    [InlineData("/module/.hidden", "namespace A;")]
    [InlineData("/module/acme", "")]
    [InlineData("/module/acme", "namespace A; class {")]
    [InlineData("/module/acme", "return 1;")]
    public async Task Post_HostileNameOrSource_Is400AndChangesNothing(string path, string body)
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;

        var (status, _) = await gateway.AdminAsync(HttpMethod.Post, path, body);

        Assert.Equal(400, status);
        var (_, list) = await gateway.AdminAsync(HttpMethod.Get, "/modules");
        Assert.Empty(list!["modules"]!.AsArray());
    }

    [Fact]
    public async Task Post_HugeModule_IsRefused()
    {
        var (gateway, backend) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;

        var (status, _) = await gateway.AdminAsync(HttpMethod.Post, "/module/huge", "namespace A;\n" + new string('/', 3 * 1024 * 1024));

        Assert.InRange(status, 400, 413);
    }

    [Fact]
    public async Task Restart_ModulesAndTheirScriptsServeFromTheStore()
    {
        var folder = Directory.CreateTempSubdirectory("slardar-modules-").FullName;
        var (gateway, backend) = await StartAsync(folder);
        await using var __ = backend;
        await PostOkAsync(gateway, "/module/acme.auth", Auth);
        await PostOkAsync(gateway, "/script/a.test", UsesAuth);
        await gateway.StopAsync();

        await using var again = await TestGateway.StartAsync(
            new Dictionary<string, string?>(TestGateway.Upstream("a.test", backend.Address)), folder: folder);

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(again, "a.test", "bad"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(again, "a.test", "good"));
        var (_, list) = await again.AdminAsync(HttpMethod.Get, "/modules");
        Assert.Equal(["a.test/rewrite"], list!["modules"]![0]!["users"]!.AsArray().Select(u => u!.GetValue<string>()));
    }

    [Fact]
    public async Task Folder_ModuleFileAndScriptFile_ServeAndAModuleEditTakesEffect()
    {
        var folder = Directory.CreateTempSubdirectory("slardar-module-files-").FullName;
        var modulePath = Path.Combine(folder, "Scripts", "_modules", "acme.auth.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(modulePath)!);
        await File.WriteAllTextAsync(modulePath, Auth);
        Directory.CreateDirectory(Path.Combine(folder, "Scripts", "a.test"));
        await File.WriteAllTextAsync(Path.Combine(folder, "Scripts", "a.test", "rewrite.csx"), UsesAuth);
        var (gateway, backend) = await StartAsync(folder);
        await using var _ = gateway;
        await using var __ = backend;
        Assert.Equal(HttpStatusCode.OK, await SendAsync(gateway, "a.test", "good"));

        var watcher = gateway.Services.GetRequiredService<ScriptFolderWatcher>();
        var handled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Handled += (file, accepted) =>
        {
            if (file == modulePath)
            {
                handled.TrySetResult(accepted);
            }
        };
        await File.WriteAllTextAsync(modulePath, AuthStricter);

        Assert.True(await handled.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(gateway, "a.test", "better"));
        var (_, module) = await gateway.AdminAsync(HttpMethod.Get, "/module/acme.auth");
        Assert.Equal("file", module!["origin"]!.GetValue<string>());
    }
}
