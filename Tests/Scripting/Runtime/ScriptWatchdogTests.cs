using Shouldly;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;
using Slardar.Scriptable.Tests.Scripting.Support;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripting.Runtime;

public sealed class ScriptWatchdogTests : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(5);
    private static readonly ScriptLimits Limits = new(1000, TimeSpan.FromMilliseconds(50), 10);
    private static readonly TimeSpan QueueTimeout = TimeSpan.FromMilliseconds(1000);

    private readonly ManualTimeProvider _time = new() { FakeTimers = true };
    private readonly ScriptWatchdog _watchdog;
    private readonly ScriptCounters _counters = new();

    public ScriptWatchdogTests()
    {
        _watchdog = new ScriptWatchdog(_time, Period);
    }

    public void Dispose() => _watchdog.Dispose();

    [Fact]
    public void Pass_AtTheDeadline_MarksTheBudgetSoTheNextTickStops()
    {
        var invocation = Watch();

        _time.Advance(Limits.MaxDuration - Period);
        invocation.Budget.Exceeded.ShouldBeNull();
        _time.Advance(Period);

        invocation.Budget.Exceeded.ShouldBe(BudgetLimit.Duration);
        Should.Throw<ScriptBudgetExceededException>(() => invocation.Budget.Tick()).Limit.ShouldBe(BudgetLimit.Duration);
        invocation.IsCompleted.ShouldBeFalse();
    }

    [Fact]
    public async Task Pass_OnePeriodAfterTheMark_AnswersForTheInvocationAsARunaway()
    {
        var invocation = Watch();

        _time.Advance(Limits.MaxDuration + Period);
        var outcome = await invocation.Outcome;

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Runaway.ShouldBeTrue();
        _counters.Snapshot().Runaways.ShouldBe(1);
        _watchdog.Count.ShouldBe(0);
    }

    [Fact]
    public async Task Complete_AfterTheWatchdogAnswered_IsNotCountedAgain()
    {
        var invocation = Watch();
        _time.Advance(Limits.MaxDuration + Period);

        invocation.Complete(new ScriptOutcome(ScriptRunStatus.Completed, ScriptResult.Next, null, TimeSpan.Zero)).ShouldBeFalse();

        _counters.Snapshot().Invocations.ShouldBe(1);
        (await invocation.Outcome).Runaway.ShouldBeTrue();
    }

    [Fact]
    public async Task Unwatch_FinishedInTime_IsNeverAnswered()
    {
        var invocation = Watch();
        invocation.Complete(new ScriptOutcome(ScriptRunStatus.Completed, ScriptResult.Next, null, TimeSpan.Zero)).ShouldBeTrue();
        _watchdog.Unwatch(invocation);
        _watchdog.Unwatch(invocation);

        _time.Advance(Limits.MaxDuration * 2);

        (await invocation.Outcome).Status.ShouldBe(ScriptRunStatus.Completed);
        _watchdog.Count.ShouldBe(0);
    }

    [Fact]
    public void Pass_ManyInvocations_EachAtItsOwnDeadline()
    {
        var first = Watch();
        _time.Advance(TimeSpan.FromMilliseconds(20));
        var second = Watch();

        _time.Advance(TimeSpan.FromMilliseconds(30));

        first.Budget.Exceeded.ShouldBe(BudgetLimit.Duration);
        second.Budget.Exceeded.ShouldBeNull();
        _watchdog.Count.ShouldBe(2);
    }

    [Fact]
    public void Begin_AfterAQueueWaitLongerThanTheBudget_TheDeadlineCountsFromTheStart()
    {
        var invocation = Queue();
        _time.Advance(Limits.MaxDuration * 4);
        invocation.IsCompleted.ShouldBeFalse();

        var budget = invocation.Begin().ShouldNotBeNull();
        _time.Advance(Limits.MaxDuration - Period);
        var beforeDeadline = budget.Exceeded;
        _time.Advance(Period);

        (beforeDeadline, budget.Exceeded).ShouldBe((null, BudgetLimit.Duration));
    }

    [Fact]
    public async Task Pass_QueuedForTheWholeQueueTimeout_AnswersNotStartedWithoutCountingAnInvocation()
    {
        var invocation = Queue();

        _time.Advance(QueueTimeout - Period);
        var before = invocation.IsCompleted;
        _time.Advance(Period);
        var outcome = await invocation.Outcome;

        before.ShouldBeFalse();
        outcome.Status.ShouldBe(ScriptRunStatus.NotStarted);
        outcome.Runaway.ShouldBeFalse();
        _counters.Snapshot().Invocations.ShouldBe(0);
        _watchdog.Count.ShouldBe(0);
    }

    [Fact]
    public async Task Begin_AfterTheQueueTimeoutAnswered_IsRefusedSoTheScriptNeverRuns()
    {
        var invocation = Queue();
        _time.Advance(QueueTimeout);

        invocation.Begin().ShouldBeNull();
        (await invocation.Outcome).Status.ShouldBe(ScriptRunStatus.NotStarted);
    }

    [Fact]
    public async Task Pass_TakenBeforeTheQueueTimeout_IsBoundByItsBudgetAlone()
    {
        var invocation = Queue();
        _time.Advance(QueueTimeout - Period);
        invocation.Begin().ShouldNotBeNull();

        _time.Advance(Period * 2);

        invocation.IsCompleted.ShouldBeFalse();
        _time.Advance(Limits.MaxDuration);
        (await invocation.Outcome).Runaway.ShouldBeTrue();
    }

    [Fact]
    public async Task Pass_RequestAbortedWhileQueued_AnswersCanceledAndTheScriptNeverRuns()
    {
        using var aborted = new CancellationTokenSource();
        var invocation = Queue(cancellation: aborted.Token);
        aborted.Cancel();

        _time.Advance(Period);

        (await invocation.Outcome).Status.ShouldBe(ScriptRunStatus.Canceled);
        invocation.Begin().ShouldBeNull();
        _watchdog.Count.ShouldBe(0);
    }

    [Fact]
    public void Pass_WhileTheScriptWaitsOnUpstreams_ItsTimeBudgetIsNotEnforced()
    {
        var invocation = Watch();
        invocation.Budget.BeginIoWait();

        _time.Advance(Limits.MaxDuration * 10);

        invocation.Budget.Exceeded.ShouldBeNull();
        invocation.IsCompleted.ShouldBeFalse();
        invocation.Budget.EndIoWait();
    }

    [Fact]
    public async Task Pass_PastTheWallBound_AnswersTimedOutEvenWhileTheScriptWaitsOnUpstreams()
    {
        var invocation = Watch(Limits with { MaxWallTime = TimeSpan.FromSeconds(1) });
        invocation.Budget.BeginIoWait();

        _time.Advance(TimeSpan.FromSeconds(1));
        invocation.Budget.Exceeded.ShouldBe(BudgetLimit.WallTime);
        _time.Advance(Period);
        var outcome = await invocation.Outcome;

        outcome.Status.ShouldBe(ScriptRunStatus.TimedOut);
        outcome.Failure!.Limit.ShouldBe(BudgetLimit.WallTime);
        _counters.Snapshot().TimedOut.ShouldBe(1);
        _counters.Snapshot().BudgetExceeded.ShouldBe(0);
    }

    [Fact]
    public void Pass_AfterTheProcessStoodStill_TheStallIsNotChargedToTheRunningScript()
    {
        var invocation = Watch();
        _time.Advance(TimeSpan.FromMilliseconds(20));

        _time.Stall(TimeSpan.FromMilliseconds(40));
        _time.Advance(TimeSpan.FromMilliseconds(20));
        var afterWhatWouldHaveBeenTheDeadline = invocation.Budget.Exceeded;
        _time.Advance(TimeSpan.FromMilliseconds(25));

        // 20 ms ran, 40 ms stood still (one period of it the timer's due wait), 45 ms ran.
        afterWhatWouldHaveBeenTheDeadline.ShouldBeNull();
        invocation.Budget.Exceeded.ShouldBe(BudgetLimit.Duration);
    }

    [Fact]
    public async Task Pass_MarkedJustBeforeAStall_GetsItsPeriodToEndAfterIt()
    {
        var invocation = Watch();
        _time.Advance(Limits.MaxDuration);
        invocation.Budget.Exceeded.ShouldBe(BudgetLimit.Duration);

        _time.Stall(TimeSpan.FromMilliseconds(30));
        _time.Advance(TimeSpan.Zero);

        invocation.IsCompleted.ShouldBeFalse();
        invocation.Complete(new ScriptOutcome(ScriptRunStatus.Completed, ScriptResult.Next, null, TimeSpan.Zero)).ShouldBeTrue();
        (await invocation.Outcome).Runaway.ShouldBeFalse();
    }

    [Fact]
    public async Task Pass_TheProcessKeepsStalling_AStuckScriptIsStillAnsweredWithinTwoBudgets()
    {
        var invocation = Watch();
        _time.Advance(Period);
        var stalledFor = Period;
        while (!invocation.IsCompleted && stalledFor < TimeSpan.FromSeconds(10))
        {
            _time.Stall(Period * 10);
            _time.Advance(Period);
            stalledFor += Period * 11;
        }

        // Excused without a bound, 45 ms of every 55 would keep it running for about ten rounds.
        var outcome = await invocation.Outcome;
        outcome.Runaway.ShouldBeTrue();
        stalledFor.ShouldBeLessThanOrEqualTo(Limits.MaxDuration * 2 + Period * 22);
    }

    [Fact]
    public void Pass_AfterAGcPause_TheDeadlineMovesOnByThePause()
    {
        var paused = TimeSpan.Zero;
        using var watchdog = new ScriptWatchdog(_time, Period, () => paused);
        var invocation = new ScriptInvocation(Limits, TestScripts.Context(), null, _counters, _time, QueueTimeout, default);
        watchdog.Watch(invocation);
        invocation.Begin().ShouldNotBeNull();
        _time.Advance(TimeSpan.FromMilliseconds(20));

        paused += TimeSpan.FromMilliseconds(15);
        _time.Advance(TimeSpan.FromMilliseconds(40));
        var atTheOldDeadline = invocation.Budget.Exceeded;
        _time.Advance(TimeSpan.FromMilliseconds(5));

        atTheOldDeadline.ShouldBeNull();
        invocation.Budget.Exceeded.ShouldBe(BudgetLimit.Duration);
    }

    [Fact]
    public void Pass_AStallDuringAnUpstreamWait_IsNotExcusedTwice()
    {
        var invocation = Watch();
        _time.Advance(Period);
        invocation.Budget.BeginIoWait();
        _time.Stall(TimeSpan.FromMilliseconds(30));
        _time.Advance(Period);
        invocation.Budget.EndIoWait();

        _time.Advance(Limits.MaxDuration);

        invocation.Budget.Exceeded.ShouldBe(BudgetLimit.Duration);
    }

    private ScriptInvocation Queue(ScriptLimits? limits = null, CancellationToken cancellation = default)
    {
        var invocation = new ScriptInvocation(limits ?? Limits, TestScripts.Context(), null, _counters, _time, QueueTimeout, cancellation);
        _watchdog.Watch(invocation);
        return invocation;
    }

    // Queued and taken by a script thread at once: the budget starts now.
    private ScriptInvocation Watch(ScriptLimits? limits = null)
    {
        var invocation = Queue(limits);
        invocation.Begin().ShouldNotBeNull();
        return invocation;
    }
}
