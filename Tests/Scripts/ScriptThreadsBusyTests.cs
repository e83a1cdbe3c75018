using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Scripting.Runtime;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripts;

/// <summary>
/// The wait for a script thread, through a real gateway on a manual clock: bounded by
/// <c>Scripts:Threads:QueueTimeoutMs</c>, answered 503 50300002, and never the script's fault.
/// </summary>
public sealed class ScriptThreadsBusyTests
{
    [Fact]
    public async Task EveryScriptThreadBusyPastTheQueueTimeout_Answers503_TheScriptNeitherRunsNorCountsTowardQuarantine()
    {
        var clock = new ManualTimeProvider();
        await using var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync("upstream"));
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("app.test", backend.Address).Concat(TestGateway.Upstream("stuck.test", backend.Address)))
        {
            // No thread beyond the minimum, so the stuck scripts hold them all; one overrun would quarantine.
            ["Scripts:Threads:Max"] = "1",
            ["Scripts:Quarantine:Failures"] = "1",
        };
        await using var gateway = await TestGateway.StartAsync(
            settings,
            """{ "hosts": { "stuck.test": { "upstream": "stuck.test", "trusted": true }, "app.test": { "upstream": "app.test" } } }""",
            services => services.AddSingleton<TimeProvider>(clock));
        // One file per started script: two scripts appending to one file at once may collide (a locked file).
        var started = Directory.CreateDirectory(Path.Combine(gateway.Folder, "started")).FullName;
        var stuckSource = $"System.IO.File.WriteAllText(System.IO.Path.Combine(\"{started}\", System.Guid.NewGuid().ToString(\"N\")), \"x\");\nSystem.Threading.Thread.Sleep(3000);";
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/script/stuck.test", stuckSource)).Status);
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", "return Exit(418);")).Status);
        var runtime = gateway.Services.GetRequiredService<ScriptRuntime>();

        var stuck = Enumerable.Range(0, runtime.Threads.MaxThreads).Select(_ => gateway.GetAsync("stuck.test")).ToArray();
        Assert.True(SpinWait.SpinUntil(() => Directory.GetFiles(started).Length == runtime.Threads.MaxThreads, TimeSpan.FromSeconds(30)), "the stuck scripts did not all start");
        var waiting = gateway.GetAsync("app.test");
        Assert.True(SpinWait.SpinUntil(() => runtime.Threads.Queued == 1, TimeSpan.FromSeconds(30)), "the request did not queue");
        clock.Advance(runtime.QueueTimeout);
        using var busy = await waiting;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.Equal("50300002", busy.Headers.GetValues("X-Error-Code").Single());
        var (_, script) = await gateway.AdminAsync(HttpMethod.Get, "/script/app.test");
        Assert.Null(script!["quarantined"]);
        Assert.Equal(0, script["counters"]!["invocations"]!.GetValue<long>());

        // Once a thread is free the same version serves: nothing was held against it.
        foreach (var response in await Task.WhenAll(stuck))
        {
            response.Dispose();
        }

        using var served = await gateway.GetAsync("app.test");
        Assert.Equal((HttpStatusCode)418, served.StatusCode);
    }
}
