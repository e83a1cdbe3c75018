using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Editor;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripts;

/// <summary>Scripts/&lt;host&gt;/&lt;phase&gt;.csx edited on disk, as an operator's editor does.</summary>
public sealed class ScriptFolderWatcherTests
{
    private static async Task<bool> WriteAndWaitAsync(TestGateway gateway, string path, string? content, bool byRename = false)
    {
        var watcher = gateway.Services.GetRequiredService<ScriptFolderWatcher>();
        var handled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnHandled(string file, bool accepted)
        {
            if (file == path)
            {
                handled.TrySetResult(accepted);
            }
        }

        watcher.Handled += OnHandled;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (content is null)
            {
                File.Delete(path);
            }
            else if (byRename)
            {
                var temp = Path.Combine(Path.GetDirectoryName(path)!, ".edit.tmp");
                await File.WriteAllTextAsync(temp, content);
                File.Move(temp, path, overwrite: true);
            }
            else
            {
                await File.WriteAllTextAsync(path, content);
            }

            return await handled.Task.WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            watcher.Handled -= OnHandled;
        }
    }

    private static async Task<HttpStatusCode> DeleteAsync(TestGateway gateway) =>
        (await gateway.SendAsync("app.test", HttpMethod.Delete, "/")).StatusCode;

    [Fact]
    public async Task FileSaved_EditedByRename_BrokenThenDeleted_FollowsTheFolder()
    {
        await using var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream("app.test", backend.Address)));
        var path = Path.Combine(gateway.Folder, "Scripts", "app.test", "rewrite.csx");

        Assert.True(await WriteAndWaitAsync(gateway, path, """if (Request.Method == "DELETE") return Exit(403);"""));
        Assert.Equal(HttpStatusCode.Forbidden, await DeleteAsync(gateway));

        Assert.True(await WriteAndWaitAsync(gateway, path, """if (Request.Method == "DELETE") return Exit(405);""", byRename: true));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, await DeleteAsync(gateway));

        Assert.False(await WriteAndWaitAsync(gateway, path, """if (Request.Method == "DELETE") return Exit(;"""));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, await DeleteAsync(gateway));
        var (_, script) = await gateway.AdminAsync(HttpMethod.Get, "/script/app.test");
        Assert.Equal("error", script!["compile_state"]!.GetValue<string>());
        Assert.Equal("file", script["last_error"]!["origin"]!.GetValue<string>());
        Assert.Equal("file", script["origin"]!.GetValue<string>());

        Assert.True(await WriteAndWaitAsync(gateway, path, null));
        Assert.Equal(HttpStatusCode.OK, await DeleteAsync(gateway));
        Assert.Equal(404, (await gateway.AdminAsync(HttpMethod.Get, "/script/app.test")).Status);
    }

    [Fact]
    public async Task Start_FileNewerThanStoredVersion_Serves()
    {
        await using var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        var folder = Directory.CreateTempSubdirectory("slardar-scripts-").FullName;
        var file = Path.Combine(folder, "Scripts", "app.test", "auth.csx");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "return Exit(401);");

        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream("app.test", backend.Address)), folder: folder);

        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("app.test")).StatusCode);
        var (_, script) = await gateway.AdminAsync(HttpMethod.Get, "/script/app.test/auth");
        Assert.Equal("file", script!["origin"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_WithTheEditorFolder_AScriptWithTheEditorLineServes_AndTheEditorFilesAreNoScripts()
    {
        await using var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        var folder = Directory.CreateTempSubdirectory("slardar-scripts-").FullName;
        var scripts = Path.Combine(folder, "Scripts");
        var file = Path.Combine(scripts, "app.test", "rewrite.csx");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, EditorFiles.LoadLine(ScriptPhase.Rewrite) + "\nreturn Exit(401);");
        EditorFiles.Write(scripts, []);

        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream("app.test", backend.Address)), folder: folder);

        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync("app.test")).StatusCode);
        var (_, list) = await gateway.AdminAsync(HttpMethod.Get, "/scripts");
        Assert.DoesNotContain(EditorFiles.Folder, list!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScriptsJson_NamesAFileElsewhere_ItServesAndARebindingEditTakesEffect()
    {
        await using var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        var folder = Directory.CreateTempSubdirectory("slardar-manifest-scripts-").FullName;
        var file = Path.Combine(folder, "custom", "deny-post.csx");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, """if (Request.Method == "POST") return Exit(403);""");
        var manifest = """{ "hosts": { "app.test": { "upstream": "up", "scripts": { "auth": "custom/deny-post.csx" } } } }""";
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream("up", backend.Address)), manifest, folder: folder);

        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.SendAsync("app.test", HttpMethod.Post, "/", new StringContent("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("app.test")).StatusCode);
        var (_, script) = await gateway.AdminAsync(HttpMethod.Get, "/script/app.test/auth");
        Assert.Equal("file", script!["origin"]!.GetValue<string>());
    }
}
