using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Slardar.Scriptable.Host.Consul;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Consul;

public sealed class ConsulWatchTests
{
    private const string Prefix = "config/slardar/upstreams/";

    private static readonly ConsulWatchOptions Fast = new()
    {
        Wait = TimeSpan.FromSeconds(30),
        MinQueryGap = TimeSpan.FromMilliseconds(50),
        BackoffInitial = TimeSpan.FromMilliseconds(50),
        BackoffMax = TimeSpan.FromMilliseconds(200),
    };

    [Theory]
    [InlineData(0UL, 7UL, 7UL)]
    [InlineData(5UL, 7UL, 7UL)]
    [InlineData(7UL, 7UL, 7UL)]
    [InlineData(7UL, 5UL, 0UL)]
    [InlineData(0UL, 0UL, 0UL)]
    [InlineData(7UL, 0UL, 0UL)]
    public void BlockingIndexNext_ReturnedIndex_FollowsConsulResetRules(ulong previous, ulong returned, ulong expected) =>
        BlockingIndex.Next(previous, returned).ShouldBe(expected);

    [Fact]
    public async Task Watch_KeyChanges_ReportsNewStateQuicklyAndUpdatesStatus()
    {
        await using var consul = await ConsulDouble.StartAsync();
        using var client = ConsulTestClients.Create(consul.Address);
        var recorder = new WatchRecorder<IReadOnlyList<ConsulKvEntry>>();
        var watch = ConsulWatches.KeyPrefix(client, Prefix, recorder.OnChangeAsync, Fast, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = watch.RunAsync(stop.Token);

        var initial = await recorder.NextAsync(_ => true);
        initial.Value.ShouldBeEmpty();
        (await NextGetAsync(consul)).ShouldBe(0UL);
        (await NextGetAsync(consul)).ShouldBe(initial.Index); // blocking now
        consul.Put(Prefix + "a", "{}");

        var changed = await recorder.NextAsync(r => r.Value.Count == 1);
        changed.Value[0].ValueAsString.ShouldBe("{}");
        var status = watch.Status;
        (status.Reachable, status.LastIndex, status.LastError).ShouldBe((true, changed.Index, (string?)null));
        status.LastChangeAt.ShouldNotBeNull();

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Watch_ResumedFromAppliedIndex_BlocksAtOnceAndReportsAChangeMadeBeforeItsFirstQuery()
    {
        await using var consul = await ConsulDouble.StartAsync();
        using var client = ConsulTestClients.Create(consul.Address);
        consul.Put(Prefix + "a", "one");
        var applied = consul.Index;
        consul.Put(Prefix + "a", "two"); // lands after the caller's read, before the watch runs

        var recorder = new WatchRecorder<IReadOnlyList<ConsulKvEntry>>();
        var watch = ConsulWatches.KeyPrefix(client, Prefix, recorder.OnChangeAsync, Fast, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = watch.RunAsync(stop.Token, applied);

        (await NextGetAsync(consul)).ShouldBe(applied); // no plain read first
        var reported = await recorder.NextAsync(_ => true);
        reported.Index.ShouldBeGreaterThan(applied);
        reported.Value.ShouldHaveSingleItem().ValueAsString.ShouldBe("two");
        recorder.Count.ShouldBe(1);

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Watch_IndexGoesBackwards_ResetsWithPlainReadAndSeesLaterChanges()
    {
        await using var consul = await ConsulDouble.StartAsync();
        using var client = ConsulTestClients.Create(consul.Address);
        for (var i = 0; i < 20; i++)
        {
            consul.Put(Prefix + "a", i.ToString(CultureInfo.InvariantCulture));
        }

        var recorder = new WatchRecorder<IReadOnlyList<ConsulKvEntry>>();
        var options = Fast with { Wait = TimeSpan.FromMilliseconds(300) };
        var watch = ConsulWatches.KeyPrefix(client, Prefix, recorder.OnChangeAsync, options, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = watch.RunAsync(stop.Token);
        var initial = await recorder.NextAsync(_ => true);
        (await NextGetAsync(consul)).ShouldBe(0UL);
        (await NextGetAsync(consul)).ShouldBe(initial.Index);

        // A restore: the index drops below what the watch blocks on. Blocking on the old index
        // would never see the next write (its index is still lower).
        consul.Restart(3);
        consul.Put(Prefix + "b", "{}");

        var after = await recorder.NextAsync(r => r.Value.Any(e => e.Key == Prefix + "b"));
        after.Index.ShouldBe(4UL);
        watch.Status.LastIndex.ShouldBeLessThan(initial.Index);

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Watch_ServerAnswers500_BacksOffAndResyncsWithPlainRead()
    {
        await using var consul = await ConsulDouble.StartAsync();
        using var client = ConsulTestClients.Create(consul.Address);
        consul.FailNext(1);
        var recorder = new WatchRecorder<IReadOnlyList<ConsulKvEntry>>();
        var watch = ConsulWatches.KeyPrefix(client, Prefix, recorder.OnChangeAsync, Fast, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = watch.RunAsync(stop.Token);

        (await NextGetAsync(consul)).ShouldBe(0UL); // fails
        (await NextGetAsync(consul)).ShouldBe(0UL); // resync
        var first = await recorder.NextAsync(_ => true);
        (await NextGetAsync(consul)).ShouldBe(first.Index);

        // Fail the query after the next change: the watch must not block on that index again.
        consul.FailNext(1);
        consul.Put(Prefix + "a", "{}");
        var changed = await recorder.NextAsync(r => r.Value.Count == 1);
        (await NextGetAsync(consul)).ShouldBe(changed.Index); // fails
        (await NextGetAsync(consul)).ShouldBe(0UL); // plain resync
        (await NextGetAsync(consul)).ShouldBe(changed.Index); // blocking again
        watch.Status.Reachable.ShouldBeTrue();
        watch.Status.ConsecutiveFailures.ShouldBe(0);
        recorder.Count.ShouldBe(2); // the resync saw the same index: nothing new reported

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Watch_ServerAlwaysAnswersAtOnce_DoesNotSpin()
    {
        // A misbehaving server: every answer comes at once with a new index. Record when the watch
        // starts each query (on its side: when a request reaches the server depends on the machine's
        // load, when the watch starts one is what it controls); the gaps show whether it spins.
        var index = 0;
        await using var server = await TestBackend.StartAsync(context =>
        {
            context.Response.Headers["X-Consul-Index"] = Interlocked.Increment(ref index).ToString(CultureInfo.InvariantCulture);
            return context.Response.WriteAsync("[]");
        });
        using var client = ConsulTestClients.Create(new Uri($"http://{server.Address}/"));
        var starts = new System.Collections.Concurrent.ConcurrentQueue<long>();
        var fourStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recorder = new WatchRecorder<IReadOnlyList<ConsulKvEntry>>();
        var gap = TimeSpan.FromMilliseconds(250);
        var watch = new ConsulWatch<IReadOnlyList<ConsulKvEntry>>(
            "kv:" + Prefix,
            (asked, wait, ct) =>
            {
                starts.Enqueue(System.Diagnostics.Stopwatch.GetTimestamp());
                if (starts.Count >= 4)
                {
                    fourStarted.TrySetResult();
                }

                return client.WatchAsync(Prefix, asked, wait, ct);
            },
            recorder.OnChangeAsync,
            Fast with { MinQueryGap = gap },
            TimeProvider.System,
            NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = watch.RunAsync(stop.Token);

        await fourStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        // Query starts are at least the minimum gap apart (less a margin for timer granularity).
        var times = starts.ToArray();
        for (var i = 1; i < 4; i++)
        {
            System.Diagnostics.Stopwatch.GetElapsedTime(times[i - 1], times[i]).ShouldBeGreaterThan(gap * 0.8);
        }

        recorder.Count.ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task Watch_ServerHangs_RequestTimesOutAndLoopRecovers()
    {
        await using var consul = await ConsulDouble.StartAsync();
        using var client = ConsulTestClients.Create(consul.Address, requestTimeout: TimeSpan.FromMilliseconds(300));
        consul.Put(Prefix + "a", "{}");
        consul.HangNext(1);
        var recorder = new WatchRecorder<IReadOnlyList<ConsulKvEntry>>();
        var watch = ConsulWatches.KeyPrefix(client, Prefix, recorder.OnChangeAsync, Fast, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = watch.RunAsync(stop.Token);

        (await NextGetAsync(consul)).ShouldBe(0UL); // hangs
        (await NextGetAsync(consul)).ShouldBe(0UL); // after the timeout and back-off
        var first = await recorder.NextAsync(_ => true);
        first.Value.Count.ShouldBe(1);
        watch.Status.Reachable.ShouldBeTrue();

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Watch_ServiceCheckTurnsCritical_ReportsFewerPassingInstances()
    {
        await using var consul = await ConsulDouble.StartAsync();
        using var client = ConsulTestClients.Create(consul.Address);
        consul.Register("web", "web-1", "10.1.0.1", 8080);
        consul.Register("web", "web-2", "10.1.0.2", 8080);
        var recorder = new WatchRecorder<IReadOnlyList<ConsulServiceInstance>>();
        var watch = ConsulWatches.PassingInstances(client, "web", recorder.OnChangeAsync, Fast, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = watch.RunAsync(stop.Token);
        (await recorder.NextAsync(_ => true)).Value.Count.ShouldBe(2);

        consul.SetCheck("web-2", "critical");

        (await recorder.NextAsync(r => r.Value.Count == 1)).Value[0].ServiceId.ShouldBe("web-1");
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static Task<ulong> NextGetAsync(ConsulDouble consul) =>
        consul.GetIndexes.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
}
