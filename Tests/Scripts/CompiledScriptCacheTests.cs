using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripts;

/// <summary>
/// A restart loads the compiled image of every stored script instead of compiling it, as long as
/// nothing that shapes the image changed; anything else (trust, a damaged image) compiles again.
/// </summary>
public sealed class CompiledScriptCacheTests
{
    private const string Script = """if (Request.Path == "/who") return Exit(200, "answered by the stored script");""";

    [Fact]
    public async Task Restart_StoredScript_ServesFromItsCachedImageWithoutCompiling()
    {
        var folder = await StartPostStopAsync(manifest: null);

        await using var restarted = await TestGateway.StartAsync(folder: folder);

        (await AnswerAsync(restarted)).ShouldBe("answered by the stored script");
        var cache = restarted.Services.GetRequiredService<CompiledScriptCache>();
        (cache.Hits, cache.Misses).ShouldBe((1, 0));
    }

    [Fact]
    public async Task Restart_HostTrustChanged_CompilesAgain()
    {
        var folder = await StartPostStopAsync(manifest: """{ "hosts": { "who.test": { "trusted": false } } }""");

        await using var restarted = await TestGateway.StartAsync(folder: folder, manifest: """{ "hosts": { "who.test": { "trusted": true } } }""");

        (await AnswerAsync(restarted)).ShouldBe("answered by the stored script");
        var cache = restarted.Services.GetRequiredService<CompiledScriptCache>();
        (cache.Hits, cache.Misses).ShouldBe((0, 1));
    }

    [Fact]
    public async Task Restart_CachedImageDamaged_CompilesAgainAndServes()
    {
        var folder = await StartPostStopAsync(manifest: null);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "slardar.db"), Pooling = false }.ToString()))
        {
            connection.Open();
            using var damage = connection.CreateCommand();
            damage.CommandText = "UPDATE compiled_scripts SET image = x'4d5a0000'";
            damage.ExecuteNonQuery().ShouldBe(1);
        }

        await using var restarted = await TestGateway.StartAsync(folder: folder);

        (await AnswerAsync(restarted)).ShouldBe("answered by the stored script");
        restarted.Services.GetRequiredService<CompiledScriptCache>().Misses.ShouldBe(1);
    }

    private static async Task<string> StartPostStopAsync(string? manifest)
    {
        var folder = Directory.CreateTempSubdirectory("slardar-image-cache-").FullName;
        var first = await TestGateway.StartAsync(folder: folder, manifest: manifest);
        (await first.AdminAsync(HttpMethod.Post, "/script/who.test", Script)).Status.ShouldBe(200);
        await first.StopAsync();
        return folder;
    }

    private static async Task<string> AnswerAsync(TestGateway gateway)
    {
        using var response = await gateway.SendAsync("who.test", HttpMethod.Get, "/who");
        return await response.Content.ReadAsStringAsync();
    }
}
