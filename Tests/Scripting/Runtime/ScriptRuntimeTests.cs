using Shouldly;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Runtime;
using Slardar.Scriptable.Tests.Scripting.Support;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripting.Runtime;

/// <summary>
/// Invocations on the script runtime: big-stack script threads, the watchdog answering at the
/// deadline for a script stuck where no tick runs, and runaways counted. The clock is manual and its
/// timers fake, so every deadline here passes only when a test says so.
/// </summary>
public sealed class ScriptRuntimeTests : IDisposable
{
    private static readonly TimeSpan Period = ScriptWatchdog.DefaultPeriod;
    private static readonly ScriptLimits Limits = new(maxTicks: 100_000_000, maxDuration: TimeSpan.FromMilliseconds(50), maxDepth: 100);

    private readonly ManualTimeProvider _time = new() { FakeTimers = true };
    private readonly ScriptRuntime _runtime;

    public ScriptRuntimeTests()
    {
        _runtime = new ScriptRuntime(_time, stackMegabytes: 64, minThreads: 2, maxThreads: 8);
    }

    public void Dispose() => _runtime.Dispose();

    [Fact]
    public async Task RunAsync_OnTheRuntime_RunsOnAScriptThreadAndAwaitsResumeThere()
    {
        var generation = TestScripts.LoadOn(_runtime, "var before = System.Threading.Thread.CurrentThread.Name;\nawait Task.Yield();\nreturn Exit(200, before + \"|\" + System.Threading.Thread.CurrentThread.Name);", trusted: true, limits: Limits);

        var outcome = await generation.RunAsync(TestScripts.Context());
        generation.Retire();

        outcome.Status.ShouldBe(ScriptRunStatus.Completed);
        outcome.Result.Body.ShouldBe("slardar-script|slardar-script");
    }

    [Fact]
    public async Task RunAsync_BalancerOnTheRuntime_RunsOnAScriptThread()
    {
        var generation = TestScripts.LoadOn(_runtime, "SetCurrentPeer(System.Threading.Thread.CurrentThread.Name!, 80);", ScriptPhase.Balancer, trusted: true, limits: Limits);
        var turn = new BalancerTurn("up", new FakeScriptCheckups(), 0, null);

        var outcome = await generation.RunAsync(TestScripts.Context(), turn);
        generation.Retire();

        outcome.Status.ShouldBe(ScriptRunStatus.Completed);
        turn.Peer!.Host.ShouldBe("slardar-script");
    }

    [Fact]
    public async Task RunAsync_StuckInABlockingCall_IsAnsweredAfterTheDeadlineAsARunaway()
    {
        using var release = new ManualResetEventSlim();
        var generation = TestScripts.LoadOn(_runtime, "Vars[\"started\"] = true;\nSystem.Threading.Thread.Sleep(3000);", trusted: true, limits: Limits);
        var context = TestScripts.Context();

        var pending = generation.RunAsync(context).AsTask();
        Started(context);
        _time.Advance(Limits.MaxDuration);
        pending.IsCompleted.ShouldBeFalse();
        _time.Advance(Period);
        _time.Advance(Period);
        var outcome = await pending;

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Runaway.ShouldBeTrue();
        outcome.Failure!.Limit.ShouldBe(BudgetLimit.Duration);
        generation.Counters.Snapshot().Runaways.ShouldBe(1);
        generation.Counters.Snapshot().BudgetExceeded.ShouldBe(1);

        // The flow still runs: its generation stays loaded until it ends.
        generation.InFlight.ShouldBe(1);
        generation.Retire();
        generation.IsUnloaded.ShouldBeFalse();
    }

    [Fact]
    public async Task RunAsync_SpinningLoopPastTheDeadline_IsStoppedByTheWatchdogsMarkWithoutAClockRead()
    {
        // No clock read would ever see the deadline: the fake clock only moves when the test says.
        var generation = TestScripts.LoadOn(_runtime, "var n = 0L; Vars[\"spinning\"] = true;\nwhile (true) { n++; }", limits: Limits with { MaxTicks = long.MaxValue });
        var context = TestScripts.Context();

        var pending = generation.RunAsync(context).AsTask();

        // Only once the loop runs: a mark set before the script began would stop it at its entry.
        await Poll.UntilAsync(() => Task.FromResult(context.Vars.Contains("spinning")), static started => started, TimeSpan.FromSeconds(30), "the script to start its loop");
        _time.Advance(Limits.MaxDuration);
        var outcome = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Failure!.Limit.ShouldBe(BudgetLimit.Duration);
        outcome.Failure.Line.ShouldBe(2);
        await InFlightDrainedAsync(generation);
        generation.Retire();
    }

    [Fact]
    public async Task RunAsync_AfterTheWatchdogAnswered_TheAbandonedFlowStopsAtItsNextTick()
    {
        // The library call (here a sleep) outlives the deadline; the loop after it must not burn on.
        var generation = TestScripts.LoadOn(_runtime, "Vars[\"started\"] = true;\nSystem.Threading.Thread.Sleep(2000);\nvar n = 0L;\nwhile (true) { n++; }", trusted: true, limits: Limits with { MaxTicks = long.MaxValue });
        var context = TestScripts.Context();

        var pending = generation.RunAsync(context).AsTask();
        Started(context);
        _time.Advance(Limits.MaxDuration + Period + Period);
        var outcome = await pending;

        outcome.Runaway.ShouldBeTrue();
        await InFlightDrainedAsync(generation);
        generation.Counters.Snapshot().Invocations.ShouldBe(1);
        generation.Retire();
        generation.IsUnloaded.ShouldBeTrue();
    }

    [Fact]
    public async Task RunAsync_RequestAbortedWhileTheScriptIsStuck_IsAnsweredCanceled()
    {
        using var aborted = new CancellationTokenSource();
        var generation = TestScripts.LoadOn(_runtime, "System.Threading.Thread.Sleep(300);", trusted: true, limits: Limits);

        var pending = generation.RunAsync(TestScripts.Context(), cancellationToken: aborted.Token).AsTask();
        await aborted.CancelAsync();
        _time.Advance(Period);
        var outcome = await pending;

        outcome.Status.ShouldBe(ScriptRunStatus.Canceled);
        await InFlightDrainedAsync(generation);
        generation.Retire();
    }

    [Fact]
    public async Task RunAsync_AllThreadsStuck_AnotherScriptStillRuns()
    {
        var stuck = TestScripts.LoadOn(_runtime, "System.Threading.Thread.Sleep(5000);", trusted: true, limits: Limits);
        var quick = TestScripts.LoadOn(_runtime, "return Exit(204);", limits: Limits);
        var sleepers = Enumerable.Range(0, 3).Select(_ => stuck.RunAsync(TestScripts.Context()).AsTask()).ToArray();

        // Two threads to start with, three stuck: the quick one waits until the pool grows.
        var outcome = await quick.RunAsync(TestScripts.Context());

        outcome.Result.Status.ShouldBe(204);
        sleepers.Where(s => s.IsCompleted).Select(s => s.Result.ToString()).ShouldBeEmpty();
        _runtime.Threads.Threads.ShouldBeGreaterThan(2);
        _time.Advance(Limits.MaxDuration + Period + Period);
        (await Task.WhenAll(sleepers)).ShouldAllBe(o => o.Runaway);
        stuck.Retire();
        quick.Retire();
    }

    public static TheoryData<string, string> LibraryRecursions => new()
    {
        { "var e = Enumerable.Repeat(Enumerable.Empty<int>(), 300000).Aggregate<IEnumerable<int>, IEnumerable<int>>(new[] { 1 }, Enumerable.Except<int>);\nreturn Exit(200, e.First().ToString());", "1" },
        { "IEnumerable<int> e = new[] { 1 };\nfor (var i = 0; i < 300000; i++) e = e.Select(x => x + 1);\nreturn Exit(200, e.First().ToString());", "300001" },
    };

    [Theory]
    [MemberData(nameof(LibraryRecursions))]
    public async Task RunAsync_LibraryRecursion300000Deep_DoesNotOverflowTheScriptThreadsStack(string source, string expected)
    {
        using var runtime = new ScriptRuntime(_time);
        var generation = TestScripts.LoadOn(runtime, source, limits: Limits with { MaxAllocatedBytes = long.MaxValue });

        var outcome = await generation.RunAsync(TestScripts.Context());
        generation.Retire();

        // Completed, or stopped by the stack guard at the user's lambda: either way the process lives.
        if (outcome.Status == ScriptRunStatus.Completed)
        {
            outcome.Result.Body.ShouldBe(expected);
        }
        else
        {
            outcome.Failure!.Limit.ShouldBe(BudgetLimit.Stack);
        }
    }

    // The abandoned flow ends in its own (real) time.
    // The budget starts when a script thread takes the invocation: the clock moves only once the script runs.
    private static void Started(ScriptRequestContext context) =>
        SpinWait.SpinUntil(() => context.Vars.Contains("started"), TimeSpan.FromSeconds(30)).ShouldBeTrue("the script did not start");

    private static Task<int> InFlightDrainedAsync(Slardar.Scriptable.Scripting.Loading.ScriptGeneration generation) =>
        Poll.UntilAsync(() => Task.FromResult(generation.InFlight), n => n == 0, TimeSpan.FromSeconds(30), "the abandoned flow to end");
}
