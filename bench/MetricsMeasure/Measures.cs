using System.Diagnostics;
using Slardar.Scriptable.Host.Observability.Metrics;

namespace Slardar.Scriptable.MetricsMeasure;

/// <summary>The three measures; each prints one line per candidate.</summary>
internal static class Measures
{
    private const int Rounds = 5;

    public static async Task RecordAsync(Func<GatewayMetrics, IExporterCandidate>[] candidates, int threads)
    {
        const int Operations = 1_000_000;
        var nanoseconds = candidates.Select(_ => new List<double>()).ToArray();
        var allocated = new double[candidates.Length];
        string[] names = new string[candidates.Length];
        for (var round = 0; round < Rounds; round++)
        {
            for (var c = 0; c < candidates.Length; c++)
            {
                using var metrics = Traffic.NewMetrics();
                await using var candidate = candidates[c](metrics);
                names[c] = candidate.Name;
                for (var i = 0; i < 100_000; i++)
                {
                    Traffic.Record(metrics, i);
                }

                var before = GC.GetAllocatedBytesForCurrentThread();
                var watch = Stopwatch.StartNew();
                if (threads == 1)
                {
                    for (var i = 0; i < Operations; i++)
                    {
                        Traffic.Record(metrics, i);
                    }
                }
                else
                {
                    Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                    {
                        for (var i = 0; i < Operations / threads; i++)
                        {
                            Traffic.Record(metrics, i + t);
                        }
                    });
                }

                watch.Stop();
                nanoseconds[c].Add(watch.Elapsed.TotalNanoseconds / Operations);
                allocated[c] = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Operations;
            }
        }

        for (var c = 0; c < candidates.Length; c++)
        {
            var allocation = threads == 1 ? $", {allocated[c]:F1} B allocated" : string.Empty;
            Console.WriteLine($"record ({threads} thread{(threads == 1 ? "" : "s")}) {names[c],-16} {Median(nanoseconds[c]),7:F0} ns per request (request + try + latency){allocation}");
        }
    }

    public static async Task ScrapeAsync(Func<GatewayMetrics, IExporterCandidate>[] candidates)
    {
        const int Scrapes = 200;
        using var client = new HttpClient();
        var milliseconds = candidates.Select(_ => new List<double>()).ToArray();
        var bytes = new long[candidates.Length];
        var allocated = new double[candidates.Length];
        var names = new string[candidates.Length];
        for (var round = 0; round < 3; round++)
        {
            for (var c = 0; c < candidates.Length; c++)
            {
                using var metrics = Traffic.NewMetrics();
                await using var candidate = candidates[c](metrics);
                names[c] = candidate.Name;
                for (var i = 0; i < 100_000; i++)
                {
                    Traffic.Record(metrics, i);
                }

                var uri = await candidate.StartServingAsync() ?? throw new InvalidOperationException("no endpoint");
                for (var i = 0; i < 20; i++)
                {
                    bytes[c] = (await client.GetByteArrayAsync(uri)).Length;
                }

                var before = GC.GetTotalAllocatedBytes(precise: true);
                foreach (var _ in Enumerable.Range(0, Scrapes))
                {
                    var watch = Stopwatch.StartNew();
                    bytes[c] = (await client.GetByteArrayAsync(uri)).Length;
                    milliseconds[c].Add(watch.Elapsed.TotalMilliseconds);
                }

                allocated[c] = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Scrapes;
            }
        }

        for (var c = 0; c < candidates.Length; c++)
        {
            var sorted = milliseconds[c].Order().ToList();
            Console.WriteLine($"scrape {names[c],-16} p50 {Median(sorted):F3} ms, p90 {sorted[(int)(sorted.Count * 0.9)]:F3} ms, {bytes[c]:N0} bytes, {allocated[c] / 1024:F0} KiB allocated per scrape (client included)");
        }
    }

    public static async Task CheckAsync(Func<GatewayMetrics, IExporterCandidate>[] candidates, string folder)
    {
        using var client = new HttpClient();
        foreach (var make in candidates)
        {
            using var metrics = Traffic.NewMetrics();
            await using var candidate = make(metrics);
            for (var i = 0; i < 1_000; i++)
            {
                Traffic.Record(metrics, i);
            }

            Traffic.RecordHostile(metrics);
            var uri = await candidate.StartServingAsync() ?? throw new InvalidOperationException("no endpoint");
            using var response = await client.GetAsync(uri);
            var text = await response.Content.ReadAsStringAsync();
            var file = Path.Combine(folder, candidate.Name.Replace(' ', '-').Replace("'", "", StringComparison.Ordinal) + ".prom");
            await File.WriteAllTextAsync(file, text);
            var (exit, output) = await PromtoolAsync(file);
            var families = text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l[7..]);
            Console.WriteLine($"check {candidate.Name}: Content-Type {response.Content.Headers.ContentType}; promtool check metrics exit {exit}");
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Console.WriteLine($"  promtool: {line}");
            }

            Console.WriteLine($"  families: {string.Join("; ", families)}");
            Console.WriteLine($"  written: {file}");
        }
    }

    private static async Task<(int Exit, string Output)> PromtoolAsync(string file)
    {
        var start = new ProcessStartInfo("promtool", "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start");
        await process.StandardInput.WriteAsync(await File.ReadAllTextAsync(file));
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
