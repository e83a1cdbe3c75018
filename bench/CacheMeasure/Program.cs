using System.Diagnostics;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Host.Services.Caching;
using ZiggyCreatures.Caching.Fusion;

// One hit = a lookup of a fresh key that returns the cached object. Each library is asked the way a
// script would ask it: with a loader delegate that is not run on a hit. Single thread, then 2 threads.
const int Keys = 1000;
var iterations = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5_000_000;
var keys = Enumerable.Range(0, Keys).Select(i => "bucket-" + i).ToArray();
var value = "config-value";
Func<Task<string?>> load = () => Task.FromResult<string?>(value);

var own = new NamedCache("metadata", CacheOptions.Default with { Size = Keys * 2 }, TimeProvider.System);
var fusion = new FusionCache(new FusionCacheOptions
{
    DefaultEntryOptions = new FusionCacheEntryOptions { Duration = TimeSpan.FromMinutes(5), IsFailSafeEnabled = true, FailSafeMaxDuration = TimeSpan.FromHours(1) },
});
var services = new ServiceCollection();
services.AddHybridCache();
var hybrid = services.BuildServiceProvider().GetRequiredService<HybridCache>();

foreach (var key in keys)
{
    await own.GetAsync(key, load, Timeout.InfiniteTimeSpan);
    await fusion.GetOrSetAsync<string?>(key, _ => Task.FromResult<string?>(value));
    await hybrid.GetOrCreateAsync<string?>(key, _ => ValueTask.FromResult<string?>(value));
}

Measure("own core (NamedCache)", async i => (await own.GetAsync(keys[i % Keys], load, Timeout.InfiniteTimeSpan)).Value);
Measure("FusionCache 2.9 (fail-safe on)", async i => await fusion.GetOrSetAsync<string?>(keys[i % Keys], _ => Task.FromResult<string?>(value)));
Measure("HybridCache 10.11", async i => await hybrid.GetOrCreateAsync<string?>(keys[i % Keys], _ => ValueTask.FromResult<string?>(value)));
return;

void Measure(string name, Func<int, ValueTask<string?>> hit)
{
    Run(hit, iterations / 10, threads: 1); // warm-up (JIT tiers)
    var single = Run(hit, iterations, threads: 1);
    var two = Run(hit, iterations, threads: 2);
    Console.WriteLine($"{name,-32} {single.Ns,8:0.0} ns/hit {single.Bytes,8:0.0} B/hit | 2 threads {two.Ns,8:0.0} ns/hit");
}

static (double Ns, double Bytes) Run(Func<int, ValueTask<string?>> hit, int count, int threads)
{
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
    {
        for (var i = t; i < count; i += threads)
        {
            var pending = hit(i);
            if (!pending.IsCompletedSuccessfully)
            {
                pending.AsTask().GetAwaiter().GetResult();
            }
        }
    });
    var elapsed = clock.Elapsed;
    return (elapsed.TotalNanoseconds / count, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)count);
}
