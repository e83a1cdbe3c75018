using System.Net.Http.Headers;
using System.Text;
using Shouldly;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripts.Compiler;

/// <summary>
/// The gateway binary as its own process: it compiles and serves scripts without ever loading Roslyn
/// (its memory maps name no Microsoft.CodeAnalysis file; its worker's do), and 30 parallel compiles
/// of a 2,000-statement script (which took an in-process compiler from 106 to 876 MB) leave its
/// resident memory nearly where it was.
/// </summary>
public sealed class GatewayCompilerProcessTests
{
    // The in-process compiler grew by 770 MB on the same load.
    private const long AllowedGrowthKilobytes = 100 * 1024;

    [Fact]
    public async Task Gateway_ManyParallelCompiles_ServesWithoutRoslynAndKeepsItsMemory()
    {
        await using var backend = await TestBackend.StartAsync(_ => Task.CompletedTask);
        var folder = Directory.CreateTempSubdirectory("slardar-proc-").FullName;
        await using var gateway = await GatewayProcess.StartAsync(
            "--Upstreams:alive.test:servers:0:host=127.0.0.1", $"--Upstreams:alive.test:servers:0:port={backend.Port}",
            $"--Scripts:Manifest={Path.Combine(folder, "scripts.json")}", $"--Scripts:Folder={Path.Combine(folder, "Scripts")}",
            "--AccessLog:Enabled=false", "--Checkups:ActiveChecks=false");
        using var admin = new HttpClient { BaseAddress = new Uri(gateway.AdminUrl), Timeout = TimeSpan.FromMinutes(5) };
        (await PostAsync(admin, "/script/alive.test/rewrite", """return Exit(200, "alive");""")).ShouldBe(200);
        var baseline = gateway.ReadStatusKilobytes("VmRSS");

        var source = CompilerBombs.Statements(2_000);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => PostAsync(admin, $"/script/b{i}.test/rewrite?dry_run=true", source)));

        // Compiled, or refused with a reason (the time limit on a busy machine, a full queue): never a dead gateway.
        statuses.ShouldAllBe(status => status == 200 || status == 400 || status == 503);
        using var proxy = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, gateway.ProxyUrl + "/") { Headers = { Host = "alive.test" } };
        using var alive = await proxy.SendAsync(request);
        (await alive.Content.ReadAsStringAsync()).ShouldBe("alive");
        var growth = gateway.ReadStatusKilobytes("VmRSS") - baseline;
        growth.ShouldBeLessThan(AllowedGrowthKilobytes, $"gateway RSS grew by {growth} kB over 30 parallel compiles");
        Mapped(gateway.Pid).ShouldNotContain("Microsoft.CodeAnalysis");
        var worker = Directory.GetDirectories($"/proc/{gateway.Pid}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(int.Parse).Single();
        Mapped(worker).ShouldContain("Microsoft.CodeAnalysis.CSharp.dll");
        Directory.Delete(folder, recursive: true);
    }

    private static string Mapped(int pid) => File.ReadAllText($"/proc/{pid}/maps");

    private static async Task<int> PostAsync(HttpClient admin, string path, string source)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(source));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var response = await admin.PostAsync(path, content);
        return (int)response.StatusCode;
    }
}
