using System.Globalization;
using Slardar.Scriptable.Bench.Infrastructure;
using Slardar.Scriptable.Bench.Report;
using Slardar.Scriptable.Bench.Targets;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>
/// Start-up with many host scripts: a Scripts folder with one rewrite script per host, first start
/// (every file compiled and stored before the listeners open) and restart (from the store), against
/// a start with no scripts. Memory is read after start, while idle.
/// </summary>
internal sealed class StartupScenario : IScenario
{
    public string Name => "startup";

    public async Task<ReportSection> RunAsync(BenchContext context)
    {
        var count = context.Options.StartupScripts;
        var empty = await MeasureAsync(context, context.NewFolder("startup-empty"), "empty");
        var dir = context.NewFolder("startup-scripts");
        for (var i = 1; i <= count; i++)
        {
            var folder = Path.Combine(dir, "Scripts", HostSpread.HostName(i));
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "rewrite.csx"),
                $"if (Request.Path == \"/whoami\") return Exit(200, \"{HostSpread.HostName(i)}\");\nRequest.Headers[\"X-Host-Index\"] = \"{i}\";\n");
        }

        var first = await MeasureAsync(context, dir, "files", verifyHosts: count);
        var restart = await MeasureAsync(context, dir, "restart", verifyHosts: count);

        var table = new MarkdownTable("start", "time to listening", "× no scripts", "RSS after start", "RSS − no scripts");
        foreach (var (name, row) in new[] { ("no scripts", empty), ($"{count:N0} scripts, first start (compiled from files)", first), ($"{count:N0} scripts, restart (from the store)", restart) })
        {
            table.Row(name, $"{row.Startup.TotalSeconds:F2} s", Stats.Ratio(row.Startup.TotalMilliseconds, empty.Startup.TotalMilliseconds),
                Stats.Mb(row.Rss), Stats.Mb(row.Rss - empty.Rss));
        }

        var markdown = $"""
            A Scripts folder with one rewrite script per host ({count:N0} hosts, `Scripts/host-N.bench/rewrite.csx`). Every
            script is compiled and active before the listeners open (checked: `/whoami` on the first and last host
            answers from its own script). Time to listening is process start until both listeners are up; RSS is
            read right after.

            {table}
            Per script: {(restart.Rss - empty.Rss) / 1024.0 / Math.Max(count, 1):F0} KB resident after a restart,
            {(restart.Startup - empty.Startup).TotalMilliseconds / Math.Max(count, 1):F1} ms of start-up.
            """;
        return new ReportSection($"Start-up with {count:N0} host scripts", markdown, []);
    }

    private static async Task<(TimeSpan Startup, long Rss)> MeasureAsync(BenchContext context, string dir, string name, int verifyHosts = 0)
    {
        using var gateway = await GatewayInstance.StartAsync(context, new GatewayLaunch("startup-" + name), dir);
        var rss = gateway.Process.Sample().RssBytes;
        foreach (var i in verifyHosts > 0 ? new[] { 1, verifyHosts } : [])
        {
            var answer = await Sanity.BodyAsync(gateway.ProxyUrl + "/whoami", HostSpread.HostName(i));
            if (!answer.Contains(HostSpread.HostName(i), StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"host {HostSpread.HostName(i)} did not answer from its script: {answer}");
            }
        }

        BenchContext.Log($"startup {name}: {gateway.Startup.TotalSeconds:F2} s, RSS {Stats.Mb(rss)}");
        return (gateway.Startup, rss);
    }
}
