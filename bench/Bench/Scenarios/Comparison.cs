using Slardar.Scriptable.Bench.Infrastructure;
using Slardar.Scriptable.Bench.Targets;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>
/// Measures several targets in one run, interleaved (A B C, A B C, ...), so drift on a shared
/// machine (other work, thermal, page cache) lands on every target alike; reports medians.
/// </summary>
internal static class Comparison
{
    public static async Task<IReadOnlyList<TargetSummary>> RunAsync(
        IReadOnlyList<LoadTarget> targets, WrkSettings settings, int rounds, TimeSpan warmup)
    {
        foreach (var target in targets)
        {
            // JIT tiering and connection pools settle before anything counts.
            await Wrk.RunAsync(settings with { Duration = warmup }, target.Url, target.HostHeader, target.LuaScript);
        }

        var results = targets.ToDictionary(t => t.Name, _ => new List<RoundResult>());
        for (var round = 0; round < rounds; round++)
        {
            // Rotate the order each round: no target is always the one after the warm-up or the gateway's GC.
            for (var i = 0; i < targets.Count; i++)
            {
                var target = targets[(i + round) % targets.Count];
                var allocatedBefore = target.AllocatedBytes is null ? double.NaN : await target.AllocatedBytes();
                var before = target.Sample();
                var wrk = await Wrk.RunAsync(settings, target.Url, target.HostHeader, target.LuaScript);
                var after = target.Sample();
                var allocatedAfter = target.AllocatedBytes is null ? double.NaN : await target.AllocatedBytes();
                var cpuPer10k = wrk.Requests > 0 ? (after.CpuSeconds - before.CpuSeconds) / wrk.Requests * 10_000 : double.NaN;
                var bytesPerRequest = wrk.Requests > 0 ? (allocatedAfter - allocatedBefore) / wrk.Requests : double.NaN;
                results[target.Name].Add(new RoundResult(wrk.RequestsPerSecond, wrk.P50Ms, wrk.P99Ms, cpuPer10k, wrk.Non2xx + wrk.SocketErrors, bytesPerRequest));
                BenchContext.Log($"  {target.Name,-28} {wrk.RequestsPerSecond,9:F0} req/s  p50 {wrk.P50Ms,6:F2} ms  p99 {wrk.P99Ms,6:F2} ms  cpu/10k {cpuPer10k:F3} s");
            }
        }

        return targets.Select(t =>
        {
            var rows = results[t.Name];
            return new TargetSummary(t.Name,
                Stats.Median(rows.Select(r => r.Rps)),
                Stats.Median(rows.Select(r => r.P50Ms)),
                Stats.Median(rows.Select(r => r.P99Ms)),
                Stats.Median(rows.Select(r => r.CpuPer10k)),
                t.Sample().PeakRssBytes,
                rows.Sum(r => r.Errors),
                rows.Count,
                Stats.Median(rows.Select(r => r.BytesPerRequest)));
        }).ToList();
    }
}
