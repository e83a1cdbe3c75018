using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Slardar.Scriptable.Bench.Infrastructure;
using Slardar.Scriptable.Host.Services.Caching;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>
/// The gateway's cache cost per hit, in the harness's process: batches of calls on a key already
/// present, timed with Stopwatch after a warm-up, median over the batches; beside a
/// ConcurrentDictionary lookup of the same key measured the same way in the same run (the ratio is
/// what survives a noisy machine). One thread: the HTTP comparison shows the contended case.
/// </summary>
internal static class CacheHitCost
{
    private const string Key = "bucket-1";
    private const string Value = "config-value";
    private const int HitsPerBatch = 1_000_000;
    private const int Batches = 9;

    /// <summary>Long enough for tiered compilation to have put the loops and the cache at tier 1.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    public static IReadOnlyList<HitCost> Measure()
    {
        Func<Task<string?>> loader = () => Task.FromResult<string?>(Value);
        var dictionary = new ConcurrentDictionary<string, string>(StringComparer.Ordinal) { [Key] = Value };
        var caches = new CacheSet(TimeProvider.System);
        var named = caches.Get("bench");
        var first = named.GetAsync(Key, loader, Timeout.InfiniteTimeSpan).AsTask().GetAwaiter().GetResult();
        if (first.State != CacheState.Miss)
        {
            throw new InvalidOperationException($"cache hit cost: the first call answered {first.State}, expected Miss");
        }

        // Each batch sums the lengths of the values it got, counting only hits: nothing can be
        // optimised away, and a batch that was not all hits is caught below.
        var rows = new List<HitCost>
        {
            Run("ConcurrentDictionary.TryGetValue (baseline)", n =>
            {
                var sum = 0;
                for (var i = 0; i < n; i++)
                {
                    sum += dictionary.TryGetValue(Key, out var value) ? value.Length : 0;
                }

                return sum;
            }),
            Run("NamedCache.GetAsync, a hit", n =>
            {
                var sum = 0;
                for (var i = 0; i < n; i++)
                {
                    sum += HitLength(named.GetAsync(Key, loader, Timeout.InfiniteTimeSpan));
                }

                return sum;
            }),
            Run("CacheSet.Get(name).GetAsync, a hit (a script's Cache.GetAsync)", n =>
            {
                var sum = 0;
                for (var i = 0; i < n; i++)
                {
                    sum += HitLength(caches.Get("bench").GetAsync(Key, loader, Timeout.InfiniteTimeSpan));
                }

                return sum;
            }),
        };
        return named.Counters.Misses == 1
            ? rows
            : throw new InvalidOperationException($"cache hit cost: the loader ran {named.Counters.Misses} times, expected once");
    }

    /// <summary>The value's length for a hit (answered synchronously, as every hit is), else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HitLength(ValueTask<CacheResult<string>> pending) =>
        pending.IsCompletedSuccessfully && pending.Result is { State: CacheState.Hit, Value: { } value } ? value.Length : 0;

    private static HitCost Run(string name, Func<int, int> batch)
    {
        var warming = Stopwatch.StartNew();
        while (warming.Elapsed < WarmUp)
        {
            batch(HitsPerBatch / 10);
        }

        var nanoseconds = new List<double>();
        var bytes = new List<double>();
        for (var i = 0; i < Batches; i++)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            var sum = batch(HitsPerBatch);
            var elapsed = Stopwatch.GetElapsedTime(started);
            bytes.Add((GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)HitsPerBatch);
            nanoseconds.Add(elapsed.TotalNanoseconds / HitsPerBatch);
            if (sum != HitsPerBatch * Value.Length)
            {
                throw new InvalidOperationException($"cache hit cost: {name} did not hit on every call");
            }
        }

        BenchContext.Log($"  {name,-64} {Stats.Median(nanoseconds),7:F1} ns/hit");
        return new HitCost(name, Stats.Median(nanoseconds), Stats.Median(bytes));
    }
}
