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
        invocation.Task.IsCompleted.ShouldBeFalse();
    }

    [Fact]
    public async Task Pass_OnePeriodAfterTheMark_AnswersForTheInvocationAsARunaway()
    {
        var invocation = Watch();

        _time.Advance(Limits.MaxDuration + Period);
        var outcome = await invocation.Task;

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
        (await invocation.Task).Runaway.ShouldBeTrue();
    }

    [Fact]
    public async Task Unwatch_FinishedInTime_IsNeverAnswered()
    {
        var invocation = Watch();
        invocation.Complete(new ScriptOutcome(ScriptRunStatus.Completed, ScriptResult.Next, null, TimeSpan.Zero)).ShouldBeTrue();
        _watchdog.Unwatch(invocation);
        _watchdog.Unwatch(invocation);

        _time.Advance(Limits.MaxDuration * 2);

        (await invocation.Task).Status.ShouldBe(ScriptRunStatus.Completed);
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

    private ScriptInvocation Watch()
    {
        var invocation = new ScriptInvocation(new ScriptBudget(Limits, _time), TestScripts.Context(), null, _counters, _time, CancellationToken.None);
        _watchdog.Watch(invocation);
        return invocation;
    }
}
