using System.Net;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Admin;

/// <summary>Every acknowledged upstream change is in the SQLite store: restarts, even kill -9, keep it.</summary>
public sealed class UpstreamPersistenceTests
{
    [Fact]
    public async Task Restart_SameStore_KeepsUpstreamsChangedThroughTheApi()
    {
        await using var backend = await TestBackend.StartNamedAsync("kept");
        var folder = Directory.CreateTempSubdirectory("slardar-restart-").FullName;
        var first = await TestGateway.StartAsync(folder: folder);
        await first.AdminAsync(HttpMethod.Post, "/upstream/keep.test", $"{{\"servers\":[{{\"host\":\"127.0.0.1\",\"port\":{backend.Port}}}]}}");
        await first.StopAsync();

        await using var second = await TestGateway.StartAsync(folder: folder);

        Assert.Equal("kept", await (await second.GetAsync("keep.test")).Content.ReadAsStringAsync());
        var (_, history) = await second.AdminAsync(HttpMethod.Get, "/upstream/keep.test/versions");
        Assert.Single(history!["versions"]!.AsArray());
    }

    [Fact]
    public async Task Restart_ConfigurationSeedsOnlyNamesTheStoreLacks()
    {
        await using var fromApi = await TestBackend.StartNamedAsync("api");
        await using var fromConfig = await TestBackend.StartNamedAsync("config");
        var folder = Directory.CreateTempSubdirectory("slardar-seed-").FullName;
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("seed.test", fromConfig.Address));
        var first = await TestGateway.StartAsync(settings, folder: folder);
        Assert.Equal("config", await (await first.GetAsync("seed.test")).Content.ReadAsStringAsync());
        await first.AdminAsync(HttpMethod.Post, "/upstream/seed.test", $"{{\"servers\":[{{\"host\":\"127.0.0.1\",\"port\":{fromApi.Port}}}]}}");
        await first.StopAsync();

        await using var second = await TestGateway.StartAsync(settings, folder: folder);

        // The API change outlives the old configuration value; Slardar lost it on restart.
        Assert.Equal("api", await (await second.GetAsync("seed.test")).Content.ReadAsStringAsync());
        var (_, history) = await second.AdminAsync(HttpMethod.Get, "/upstream/seed.test/versions");
        Assert.Equal(["api", "config"], history!["versions"]!.AsArray().Select(v => v!["origin"]!.GetValue<string>()));
    }

    [Fact]
    public async Task KillDashNine_AfterAcknowledgedPost_LosesNothing()
    {
        await using var backend = await TestBackend.StartNamedAsync("durable");
        var folder = Directory.CreateTempSubdirectory("slardar-kill-").FullName;
        string[] args = [$"--Store:Path={Path.Combine(folder, "slardar.db")}", $"--Scripts:Manifest={Path.Combine(folder, "scripts.json")}", "--Checkups:ActiveChecks=false"];
        using var client = new HttpClient();

        await using (var gateway = await GatewayProcess.StartAsync(args))
        {
            for (var i = 0; i < 20; i++)
            {
                var body = new StringContent($"{{\"servers\":[{{\"host\":\"127.0.0.1\",\"port\":{backend.Port},\"weight\":{i + 1}}}]}}");
                using var answer = await client.PostAsync($"{gateway.AdminUrl}/upstream/kill.test", body);
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }

            gateway.Kill();
        }

        await using var restarted = await GatewayProcess.StartAsync(args);
        var upstream = await client.GetStringAsync($"{restarted.AdminUrl}/upstream/kill.test");
        Assert.Contains("\"weight\":20", upstream);
        var request = new HttpRequestMessage(HttpMethod.Get, restarted.ProxyUrl + "/");
        request.Headers.Host = "kill.test";
        using var response = await client.SendAsync(request);
        Assert.Equal("durable", await response.Content.ReadAsStringAsync());
        Directory.Delete(folder, recursive: true);
    }
}
