using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Scripting.Runtime;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripting.Runtime;

public sealed class ScriptBudgetTests
{
    private readonly FakeTimeProvider _time = new();

    private ScriptBudget Budget(long ticks = 10_000, double milliseconds = 50, int depth = 3, CancellationToken cancellation = default) =>
        new(new ScriptLimits(ticks, TimeSpan.FromMilliseconds(milliseconds), depth), _time, cancellation);

    [Fact]
    public void Tick_UpToTheLimit_Passes_OneMore_Throws()
    {
        var budget = Budget(ticks: 3000);
        for (var i = 0; i < 3000; i++)
        {
            budget.Tick();
        }

        Should.Throw<ScriptBudgetExceededException>(() => budget.Tick()).Limit.ShouldBe(BudgetLimit.Ticks);
        budget.Exceeded.ShouldBe(BudgetLimit.Ticks);
    }

    [Fact]
    public void Tick_AfterTheDeadline_ThrowsAtTheNextCheck()
    {
        var budget = Budget(milliseconds: 50);
        budget.Tick();
        _time.Advance(TimeSpan.FromMilliseconds(50));

        for (var i = 1; i < ScriptBudget.CheckInterval - 1; i++)
        {
            budget.Tick();
        }

        Should.Throw<ScriptBudgetExceededException>(() => budget.Tick()).Limit.ShouldBe(BudgetLimit.Duration);
    }

    [Fact]
    public void Tick_OnceExceeded_KeepsThrowing()
    {
        var budget = Budget(ticks: 1);
        budget.Tick();
        Should.Throw<ScriptBudgetExceededException>(() => budget.Tick());

        Should.Throw<ScriptBudgetExceededException>(() => budget.Tick()).Limit.ShouldBe(BudgetLimit.Ticks);
        Should.Throw<ScriptBudgetExceededException>(() => budget.Enter()).Limit.ShouldBe(BudgetLimit.Ticks);
    }

    [Fact]
    public void Tick_RequestAborted_ThrowsCanceledAtTheNextCheck()
    {
        using var aborted = new CancellationTokenSource();
        var budget = Budget(cancellation: aborted.Token);
        aborted.Cancel();

        for (var i = 1; i < ScriptBudget.CheckInterval; i++)
        {
            budget.Tick();
        }

        Should.Throw<OperationCanceledException>(() => budget.Tick());
        budget.Exceeded.ShouldBeNull();
    }

    [Fact]
    public void Enter_PastTheDepth_Throws_ExitMakesRoomAgain()
    {
        var budget = Budget(depth: 2);
        budget.Enter();
        budget.Enter();

        Should.Throw<ScriptBudgetExceededException>(() => budget.Enter()).Limit.ShouldBe(BudgetLimit.Depth);
        budget.Depth.ShouldBe(2);
    }

    [Fact]
    public void Enter_Exit_TrackDepthAndCountTicks()
    {
        var budget = Budget(depth: 2);

        budget.Enter();
        budget.Enter();
        budget.Exit();
        budget.Enter();
        budget.Exit();
        budget.Exit();
        budget.Exit();

        (budget.Depth, budget.Ticks, budget.Exceeded).ShouldBe((0, 3L, (BudgetLimit?)null));
    }

    [Fact]
    public void Remaining_FollowsTheClock()
    {
        var budget = Budget(milliseconds: 50);
        _time.Advance(TimeSpan.FromMilliseconds(20));

        budget.Remaining.ShouldBe(TimeSpan.FromMilliseconds(30));
        _time.Advance(TimeSpan.FromMilliseconds(40));
        budget.Remaining.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void Remaining_WithoutATimeLimit_IsInfinite()
    {
        var budget = new ScriptBudget(ScriptLimits.Default with { MaxDuration = Timeout.InfiniteTimeSpan }, _time);

        budget.Remaining.ShouldBe(Timeout.InfiniteTimeSpan);
    }

    [Fact]
    public void Tick_WithoutATickLimit_StillChecksTheClockOnlyEveryInterval()
    {
        var budget = new ScriptBudget(new ScriptLimits(long.MaxValue, TimeSpan.FromMilliseconds(50), 3), _time);
        _time.Advance(TimeSpan.FromSeconds(1));

        for (var i = 1; i < ScriptBudget.CheckInterval; i++)
        {
            budget.Tick();
        }

        Should.Throw<ScriptBudgetExceededException>(() => budget.Tick()).Limit.ShouldBe(BudgetLimit.Duration);
    }

    [Theory]
    [InlineData(0, 50, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 50, 0)]
    public void ScriptLimits_NonPositive_AreRefused(long ticks, double milliseconds, int depth)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new ScriptLimits(ticks, TimeSpan.FromMilliseconds(milliseconds), depth));
    }

    [Fact]
    public void BeginIoWait_TheTimeBudgetStandsStillWhileTheScriptWaitsOnUpstreams()
    {
        var budget = Budget(milliseconds: 50);
        _time.Advance(TimeSpan.FromMilliseconds(30));

        budget.BeginIoWait();
        budget.Deadline.ShouldBe(long.MaxValue);
        budget.Remaining.ShouldBe(Timeout.InfiniteTimeSpan);
        _time.Advance(TimeSpan.FromSeconds(5));
        budget.EndIoWait();

        // 30 ms used before the wait; 20 ms are left after it, as if the wait took no time.
        budget.Remaining.ShouldBe(TimeSpan.FromMilliseconds(20));
        _time.Advance(TimeSpan.FromMilliseconds(19));
        TickThroughOneCheck(budget);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Should.Throw<ScriptBudgetExceededException>(() => TickThroughOneCheck(budget)).Limit.ShouldBe(BudgetLimit.Duration);
    }

    [Fact]
    public void BeginIoWait_OverlappingWaits_TheClockRestartsWhenTheLastEnds()
    {
        var budget = Budget(milliseconds: 50);
        budget.BeginIoWait();
        _time.Advance(TimeSpan.FromSeconds(1));
        budget.BeginIoWait();
        budget.EndIoWait();
        budget.WaitingOnIo.ShouldBeTrue();
        _time.Advance(TimeSpan.FromSeconds(1));
        budget.EndIoWait();

        budget.WaitingOnIo.ShouldBeFalse();
        budget.Remaining.ShouldBe(TimeSpan.FromMilliseconds(50));
        budget.EndIoWait();
        budget.Remaining.ShouldBe(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Tick_PastTheWallBound_StopsTheScriptAsATimeoutEvenAfterUpstreamWaits()
    {
        var budget = new ScriptBudget(new ScriptLimits(10_000, TimeSpan.FromMilliseconds(50), 3) { MaxWallTime = TimeSpan.FromSeconds(2) }, _time);
        budget.BeginIoWait();
        _time.Advance(TimeSpan.FromSeconds(2));
        budget.EndIoWait();

        Should.Throw<ScriptBudgetExceededException>(() => TickThroughOneCheck(budget)).Limit.ShouldBe(BudgetLimit.WallTime);
        budget.Describe(BudgetLimit.WallTime).ShouldContain("content_timeout of 2 s");
    }

    private static void TickThroughOneCheck(ScriptBudget budget)
    {
        for (var i = 0; i < ScriptBudget.CheckInterval; i++)
        {
            budget.Tick();
        }
    }
}
