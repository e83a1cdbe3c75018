using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Services.Caching;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Services.Caching;

public sealed class NamedCacheTests
{
    private static readonly CacheOptions Options = new(100, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
    private static readonly TimeSpan NoBudget = Timeout.InfiniteTimeSpan;

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task GetAsync_LoaderReturnsValue_MissThenHit()
    {
        var cache = new NamedCache("c", Options, _time);
        var calls = 0;
        Func<Task<string?>> loader = () => { calls++; return Task.FromResult<string?>("v"); };

        var first = await cache.GetAsync("k", loader, NoBudget);
        var second = await cache.GetAsync("k", loader, NoBudget);

        first.ShouldBe(new CacheResult<string>(CacheState.Miss, "v"));
        second.ShouldBe(new CacheResult<string>(CacheState.Hit, "v"));
        calls.ShouldBe(1);
        cache.Counters.Misses.ShouldBe(1);
        cache.Counters.Hits.ShouldBe(1);
    }

    [Fact]
    public async Task GetAsync_LoaderReturnsNull_NoDataThenHitNegativeUntilNegativeTtl()
    {
        var cache = new NamedCache("c", Options, _time);
        var calls = 0;
        Func<Task<string?>> loader = () => { calls++; return Task.FromResult<string?>(null); };

        (await cache.GetAsync("k", loader, NoBudget)).State.ShouldBe(CacheState.NoData);
        (await cache.GetAsync("k", loader, NoBudget)).State.ShouldBe(CacheState.HitNegative);
        _time.Advance(Options.NegativeTtl);
        (await cache.GetAsync("k", loader, NoBudget)).State.ShouldBe(CacheState.NoData);
        calls.ShouldBe(2);
    }

    [Fact]
    public async Task GetAsync_LoaderThrowsWithoutValue_NetErrorAndNothingCached()
    {
        var cache = new NamedCache("c", Options, _time);
        var calls = 0;
        Func<Task<string?>> loader = () => { calls++; throw new InvalidOperationException("redis down"); };

        var first = await cache.GetAsync("k", loader, NoBudget);
        var second = await cache.GetAsync("k", loader, NoBudget);

        first.State.ShouldBe(CacheState.NetError);
        first.Value.ShouldBeNull();
        first.Error!.ShouldContain("redis down");
        second.State.ShouldBe(CacheState.NetError);
        calls.ShouldBe(2);
        cache.Count.ShouldBe(0);
    }

    [Fact]
    public async Task GetAsync_AsyncLoaderFaults_NetError()
    {
        var cache = new NamedCache("c", Options, _time);

        var result = await cache.GetAsync<string>("k", async () =>
        {
            await Task.Yield();
            throw new TimeoutException("slow");
        }, NoBudget);

        result.State.ShouldBe(CacheState.NetError);
    }

    [Fact]
    public async Task GetAsync_ExpiredValueAndLoaderFails_StaleThenThrottledThenNetErrorPastStaleWindow()
    {
        var cache = new NamedCache("c", Options, _time);
        await cache.GetAsync("k", () => Task.FromResult<string?>("old"), NoBudget);
        _time.Advance(Options.Ttl);
        var calls = 0;
        Func<Task<string?>> failing = () => { calls++; throw new InvalidOperationException("down"); };

        var stale = await cache.GetAsync("k", failing, NoBudget);
        var again = await cache.GetAsync("k", failing, NoBudget);

        stale.ShouldBe(new CacheResult<string>(CacheState.Stale, "old", stale.Error));
        again.State.ShouldBe(CacheState.Stale);
        calls.ShouldBe(1); // the retry waits for the stale retry interval
        _time.Advance(CacheOptions.StaleRetryInterval);
        (await cache.GetAsync("k", failing, NoBudget)).State.ShouldBe(CacheState.Stale);
        calls.ShouldBe(2);

        _time.Advance(Options.StaleTtl);
        (await cache.GetAsync("k", failing, NoBudget)).State.ShouldBe(CacheState.NetError);
        cache.Counters.Stale.ShouldBe(3);
    }

    [Fact]
    public async Task GetAsync_NegativeEntryAndLoaderFails_NetErrorNotStale()
    {
        var cache = new NamedCache("c", Options, _time);
        await cache.GetAsync("k", () => Task.FromResult<string?>(null), NoBudget);
        _time.Advance(Options.NegativeTtl);

        var result = await cache.GetAsync<string>("k", () => throw new InvalidOperationException("down"), NoBudget);

        result.State.ShouldBe(CacheState.NetError);
    }

    [Fact]
    public async Task GetAsync_LoaderHangsPastTimeout_NetErrorAndTheKeyCanLoadAgain()
    {
        var cache = new NamedCache("c", Options, _time);
        var hung = new TaskCompletionSource<string?>();

        var pending = cache.GetAsync("k", () => hung.Task, NoBudget);
        pending.IsCompleted.ShouldBeFalse();
        _time.Advance(Options.LoadTimeout);
        var result = await pending;

        result.State.ShouldBe(CacheState.NetError);
        result.Error!.ShouldContain("timed out");
        cache.Loading.ShouldBe(0);
        (await cache.GetAsync("k", () => Task.FromResult<string?>("v"), NoBudget)).State.ShouldBe(CacheState.Miss);
        hung.SetException(new InvalidOperationException("late")); // observed, never kept
        (await cache.GetAsync("k", () => Task.FromResult<string?>("x"), NoBudget)).Value.ShouldBe("v");
    }

    [Fact]
    public async Task GetAsync_CallerBudgetShorterThanLoad_CallerGetsNetErrorAtItsBudget()
    {
        var cache = new NamedCache("c", Options, _time);
        var gate = new TaskCompletionSource<string?>();

        var pending = cache.GetAsync("k", () => gate.Task, TimeSpan.FromMilliseconds(20));
        _time.Advance(TimeSpan.FromMilliseconds(20));
        var result = await pending;

        result.State.ShouldBe(CacheState.NetError);
        cache.Loading.ShouldBe(1); // the load itself goes on for others, up to its own timeout
        gate.SetResult("v");
        (await cache.GetAsync("k", () => Task.FromResult<string?>("other"), NoBudget)).ShouldBe(new CacheResult<string>(CacheState.Hit, "v"));
    }

    [Fact]
    public async Task GetAsync_ThousandConcurrentCallersOfExpiredKey_ExactlyOneLoader()
    {
        var cache = new NamedCache("c", Options, _time);
        await cache.GetAsync("k", () => Task.FromResult<string?>("old"), NoBudget);
        _time.Advance(Options.Ttl);
        var gate = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        Func<Task<string?>> loader = () => { Interlocked.Increment(ref calls); return gate.Task; };

        var callers = Enumerable.Range(0, 1000)
            .Select(_ => Task.Run(async () => await cache.GetAsync("k", loader, NoBudget)))
            .ToArray();
        await Poll.UntilAsync(() => Task.FromResult(cache.Counters.LockWaits), n => n == 999, TimeSpan.FromSeconds(60), "999 callers waiting on the one load");
        gate.SetResult("new");
        var results = await Task.WhenAll(callers);

        calls.ShouldBe(1);
        results.Count(r => r.State == CacheState.Miss).ShouldBe(1);
        results.Count(r => r.State == CacheState.Hit).ShouldBe(999);
        results.ShouldAllBe(r => r.Value == "new");
    }

    [Fact]
    public async Task GetAsync_WaitersWhenLoadFails_StaleForAllAndOneLoader()
    {
        var cache = new NamedCache("c", Options, _time);
        await cache.GetAsync("k", () => Task.FromResult<string?>("old"), NoBudget);
        _time.Advance(Options.Ttl);
        var gate = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;

        var callers = Enumerable.Range(0, 50).Select(_ => cache.GetAsync("k", () => { Interlocked.Increment(ref calls); return gate.Task; }, NoBudget).AsTask()).ToArray();
        gate.SetException(new InvalidOperationException("down"));
        var results = await Task.WhenAll(callers);

        calls.ShouldBe(1);
        results.ShouldAllBe(r => r.State == CacheState.Stale && r.Value == "old");
    }

    [Fact]
    public async Task GetAsync_PastSizeBound_EvictsLeastRecentlyUsed()
    {
        var cache = new NamedCache("c", Options with { Size = 3 }, _time);
        foreach (var key in new[] { "a", "b", "c" })
        {
            await cache.GetAsync(key, () => Task.FromResult<string?>(key), NoBudget);
        }

        await cache.GetAsync("a", () => Task.FromResult<string?>("reloaded"), NoBudget); // a is now the most recent
        await cache.GetAsync("d", () => Task.FromResult<string?>("d"), NoBudget);

        cache.Count.ShouldBe(3);
        cache.Counters.Evictions.ShouldBe(1);
        (await cache.GetAsync("a", () => Task.FromResult<string?>("x"), NoBudget)).State.ShouldBe(CacheState.Hit);
        (await cache.GetAsync("b", () => Task.FromResult<string?>("b2"), NoBudget)).State.ShouldBe(CacheState.Miss);
    }

    [Fact]
    public async Task Reconfigure_SmallerSize_EvictsAtOnce()
    {
        var cache = new NamedCache("c", Options, _time);
        for (var i = 0; i < 10; i++)
        {
            await cache.GetAsync("k" + i, () => Task.FromResult<string?>("v"), NoBudget);
        }

        cache.Reconfigure(Options with { Size = 4 });

        cache.Count.ShouldBe(4);
        cache.Counters.Evictions.ShouldBe(6);
    }

    [Fact]
    public async Task RemoveAndClear_PurgeEntries_NextGetLoads()
    {
        var cache = new NamedCache("c", Options, _time);
        await cache.GetAsync("a", () => Task.FromResult<string?>("1"), NoBudget);
        await cache.GetAsync("b", () => Task.FromResult<string?>("1"), NoBudget);

        cache.Remove("a").ShouldBeTrue();
        cache.Remove("a").ShouldBeFalse();
        (await cache.GetAsync("a", () => Task.FromResult<string?>("2"), NoBudget)).ShouldBe(new CacheResult<string>(CacheState.Miss, "2"));
        cache.Clear().ShouldBe(2);
        cache.Count.ShouldBe(0);
    }

    [Fact]
    public async Task Remove_DuringLoad_TheLoadsResultIsNotKept()
    {
        var cache = new NamedCache("c", Options, _time);
        var gate = new TaskCompletionSource<string?>();
        var pending = cache.GetAsync("k", () => gate.Task, NoBudget);

        cache.Remove("k");
        gate.SetResult("before purge");
        (await pending).State.ShouldBe(CacheState.Miss);

        (await cache.GetAsync("k", () => Task.FromResult<string?>("after"), NoBudget)).ShouldBe(new CacheResult<string>(CacheState.Miss, "after"));
    }

    [Fact]
    public async Task GetAsync_HugeKey_Refused()
    {
        var cache = new NamedCache("c", Options, _time);

        await Should.ThrowAsync<ArgumentException>(async () => await cache.GetAsync(new string('k', CacheOptions.MaxKeyLength + 1), () => Task.FromResult<string?>("v"), NoBudget));
        cache.Count.ShouldBe(0);
    }

    [Fact]
    public async Task GetAsync_HugeValue_AnsweredButNotKept()
    {
        var cache = new NamedCache("c", Options, _time);
        var huge = new string('v', CacheOptions.MaxValueBytes);

        var first = await cache.GetAsync("k", () => Task.FromResult<string?>(huge), NoBudget);
        var second = await cache.GetAsync("k", () => Task.FromResult<string?>("small"), NoBudget);

        first.State.ShouldBe(CacheState.Miss);
        first.Value.ShouldBeSameAs(huge);
        second.ShouldBe(new CacheResult<string>(CacheState.Miss, "small"));
        cache.Counters.TooLarge.ShouldBe(1);
    }

    [Fact]
    public async Task GetAsync_ObjectsAreKeptWithoutCopy()
    {
        var cache = new NamedCache("c", Options, _time);
        var value = new List<int> { 1, 2 };

        await cache.GetAsync("k", () => Task.FromResult<List<int>?>(value), NoBudget);
        var hit = await cache.GetAsync("k", () => Task.FromResult<List<int>?>(null), NoBudget);

        hit.Value.ShouldBeSameAs(value);
    }

    [Fact]
    public async Task GetAsync_SameKeyAskedAsAnotherType_ReloadsAsThatType()
    {
        var cache = new NamedCache("c", Options, _time);
        await cache.GetAsync("k", () => Task.FromResult<string?>("text"), NoBudget);

        var other = await cache.GetAsync("k", () => Task.FromResult<List<int>?>([1]), NoBudget);

        other.State.ShouldBe(CacheState.Miss);
        other.Value.ShouldBe([1]);
    }
}
