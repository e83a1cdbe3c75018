using Shouldly;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Tests.Scripting.Runtime;

public sealed class ScriptCountersTests
{
    [Fact]
    public void Snapshot_Empty_IsZero()
    {
        new ScriptCounters().Snapshot().ShouldBe(new ScriptCountersSnapshot(0, 0, 0, 0, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero));
    }

    [Fact]
    public void Snapshot_HundredDurations_GivesNearestRankPercentiles()
    {
        var counters = new ScriptCounters();
        foreach (var ms in Enumerable.Range(1, 100).Reverse())
        {
            counters.Record(ScriptRunStatus.Completed, TimeSpan.FromMilliseconds(ms));
        }

        var snapshot = counters.Snapshot();

        (snapshot.P50, snapshot.P99).ShouldBe((TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(99)));
    }

    [Fact]
    public void Snapshot_MoreThanTheReservoir_KeepsTheRecentDurations()
    {
        var counters = new ScriptCounters();
        for (var i = 0; i < ScriptCounters.ReservoirSize; i++)
        {
            counters.Record(ScriptRunStatus.Completed, TimeSpan.FromSeconds(1));
        }

        for (var i = 0; i < ScriptCounters.ReservoirSize; i++)
        {
            counters.Record(ScriptRunStatus.Completed, TimeSpan.FromMilliseconds(1));
        }

        var snapshot = counters.Snapshot();
        snapshot.Invocations.ShouldBe(2L * ScriptCounters.ReservoirSize);
        snapshot.P99.ShouldBe(TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Record_FromManyThreads_CountsEveryOutcome()
    {
        var counters = new ScriptCounters();
        var statuses = new[] { ScriptRunStatus.Completed, ScriptRunStatus.Faulted, ScriptRunStatus.BudgetExceeded, ScriptRunStatus.Canceled };
        using var start = new Barrier(4);

        await Task.WhenAll(statuses.Select(status => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 10_000; i++)
            {
                counters.Record(status, TimeSpan.FromTicks(i));
            }
        })));

        var snapshot = counters.Snapshot();
        (snapshot.Invocations, snapshot.Faulted, snapshot.BudgetExceeded, snapshot.Canceled).ShouldBe((40_000L, 10_000L, 10_000L, 10_000L));
    }
}
