using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Host.Routing;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripts;

/// <summary>Per-host script options in scripts.json apply to scripts already serving when the file changes.</summary>
public sealed class ScriptOptionsTests
{
    private static async Task EditManifestAsync(TestGateway gateway, string content)
    {
        var provider = gateway.Services.GetRequiredService<RouteTableProvider>();
        var swapped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(RouteTable _) => swapped.TrySetResult();
        provider.Changed += OnChanged;
        try
        {
            // As editors save: write a temp file and rename it over, so the watcher never reads half a file.
            var temp = gateway.ManifestPath + ".tmp";
            await File.WriteAllTextAsync(temp, content);
            File.Move(temp, gateway.ManifestPath, overwrite: true);
            await swapped.Task.WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            provider.Changed -= OnChanged;
        }
    }

    [Fact]
    public async Task BudgetChangedInScriptsJson_AppliesToTheServingScript()
    {
        await using var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?>(TestGateway.Upstream("app.test", backend.Address)),
            manifest: """{ "hosts": { "app.test": { "budget_ms": 5000 } } }""");
        // Sleeps in the script stand for slow work: within 5 s, over 20 ms.
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", "await Task.Delay(300);")).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("app.test")).StatusCode);

        await EditManifestAsync(gateway, """{ "hosts": { "app.test": { "budget_ms": 20 } } }""");
        await WaitForAsync(async () => (await gateway.GetAsync("app.test")).StatusCode == HttpStatusCode.InternalServerError);

        using var response = await gateway.GetAsync("app.test");
        Assert.Equal("50000002", response.Headers.GetValues("X-Error-Code").Single());
        var (_, script) = await gateway.AdminAsync(HttpMethod.Get, "/script/app.test");
        Assert.Equal(1, script!["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task TrustTakenAway_ScriptThatNeedsItKeepsServingAndShowsTheError()
    {
        await using var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?>(TestGateway.Upstream("app.test", backend.Address)),
            manifest: """{ "hosts": { "app.test": { "trusted": true } } }""");
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", "Request.Headers[\"X-Pid\"] = System.Environment.ProcessId.ToString();")).Status);

        await EditManifestAsync(gateway, """{ "hosts": { "app.test": { "trusted": false } } }""");
        await WaitForAsync(async () => (await gateway.AdminAsync(HttpMethod.Get, "/script/app.test")).Json!["compile_state"]!.GetValue<string>() == "error");

        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("app.test")).StatusCode);
    }

    /// <summary>
    /// Polls a condition that the gateway reaches asynchronously after a file change; bounded by time,
    /// generously: the change is picked up, then recompiled by the worker, which on a loaded CI machine
    /// alone can take seconds.
    /// </summary>
    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition was not reached within 30 s");
            await Task.Delay(25);
        }
    }
}
