using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Store;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Loading;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripts;

public sealed class ScriptHotSwapTests
{
    [Fact]
    public async Task Swap_UnderConcurrentLoad_NoRequestFailsAndEveryAnswerIsFromAPublishedVersion()
    {
        await using var backend = await TestBackend.StartAsync(context => context.Response.WriteAsync(context.Request.Headers["X-Version"].ToString()));
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream("swap.test", backend.Address)));
        var catalog = gateway.Services.GetRequiredService<ScriptCatalog>();
        var key = new ScriptKey("swap.test", ScriptPhase.Rewrite);
        const int Versions = 60;
        await catalog.ApplyAsync(key, "Request.Headers[\"X-Version\"] = \"0\";", StoreOrigins.Api, "test", dryRun: false);

        var answers = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await gateway.GetAsync("swap.test");
                var body = await response.Content.ReadAsStringAsync();
                (response.StatusCode == HttpStatusCode.OK ? answers : failures).Add(body);
            }
        })).ToArray();

        // Swaps follow each other as fast as compiles allow (at least 10 ms apart), while requests run.
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        for (var version = 1; version <= Versions; version++)
        {
            await pace.WaitForNextTickAsync();
            var result = await catalog.ApplyAsync(key, $"Request.Headers[\"X-Version\"] = \"{version}\";", StoreOrigins.Api, "test", dryRun: false);
            Assert.True(result.Accepted, result.Error);
        }

        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Empty(failures);
        Assert.True(answers.Count > Versions, $"only {answers.Count} requests ran during the swaps");
        Assert.All(answers, answer => Assert.InRange(int.Parse(answer, System.Globalization.CultureInfo.InvariantCulture), 0, Versions));
        Assert.Equal(Versions.ToString(System.Globalization.CultureInfo.InvariantCulture), await (await gateway.GetAsync("swap.test")).Content.ReadAsStringAsync());

        // Every retired generation unloads and is collected.
        var tracker = gateway.Services.GetRequiredService<ScriptGenerationTracker>();
        for (var i = 0; i < 20 && tracker.CountAlive() > 0; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.Equal(0, tracker.CountAlive());
    }
}
