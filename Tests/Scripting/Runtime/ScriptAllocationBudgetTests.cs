using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Scripting.Runtime;
using Slardar.Scriptable.Tests.Scripting.Support;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripting.Runtime;

/// <summary>The allocation budget: read at every tick, per invocation, across threads.</summary>
public sealed class ScriptAllocationBudgetTests
{
    private const long MiB = 1024 * 1024;

    // Generous ticks and time: these are decided by allocation.
    private static readonly ScriptLimits Limits = new(maxTicks: 100_000_000, maxDuration: TimeSpan.FromSeconds(60), maxDepth: 100) { MaxAllocatedBytes = 64 * MiB };

    [Fact]
    public void Tick_AfterAllocatingPastTheBudget_ThrowsAllocation()
    {
        var budget = new ScriptBudget(Limits with { MaxAllocatedBytes = MiB }, new FakeTimeProvider());
        budget.Tick();
        GC.KeepAlive(new byte[2 * MiB]);

        Should.Throw<ScriptBudgetExceededException>(() => budget.Tick(7)).Limit.ShouldBe(BudgetLimit.Allocation);
        budget.Exceeded.ShouldBe(BudgetLimit.Allocation);
        budget.ExceededAtLine.ShouldBe(7);
    }

    [Fact]
    public void Tick_WithinTheBudget_CountsWhatWasAllocated()
    {
        var budget = new ScriptBudget(Limits, new FakeTimeProvider());
        GC.KeepAlive(new byte[MiB]);
        budget.Tick();

        budget.Allocated.ShouldBeInRange(MiB, 2 * MiB);
    }

    [Fact]
    public async Task Tick_OnAnotherThread_CountsOnlyWhatTheFlowAllocatedThere()
    {
        var budget = new ScriptBudget(Limits, new FakeTimeProvider());
        GC.KeepAlive(new byte[MiB]);
        budget.Tick();
        var before = budget.Allocated;

        // A thread that allocated a lot before the flow arrives: its past is not the flow's.
        var after = await Task.Factory.StartNew(() =>
        {
            GC.KeepAlive(new byte[8 * MiB]);
            budget.Tick();
            GC.KeepAlive(new byte[MiB]);
            budget.Tick();
            return budget.Allocated;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        (after - before).ShouldBeInRange(MiB, 2 * MiB);
    }

    [Fact]
    public async Task RunAsync_StringDoubling29Times_IsStoppedNearTheBudget()
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var outcome = await TestScripts.RunAsync("var s = \"x\";\nfor (int i = 0; i < 29; i++) s += s;\nreturn Exit(200, s.Length.ToString());", limits: Limits);

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Failure!.Limit.ShouldBe(BudgetLimit.Allocation);
        outcome.Failure.Line.ShouldBe(2);

        // The string doubles each turn: the turn that crosses 64 MiB is the last, so at most 4 x the budget
        // (2 GiB without it).
        (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore).ShouldBeLessThan(4 * Limits.MaxAllocatedBytes);
    }

    [Fact]
    public async Task RunAsync_AThousandStringsOfOneMegabyteKept_IsStopped()
    {
        const string source = """
            var kept = new List<string>();
            for (var i = 0; i < 1000; i++) kept.Add(new string('x', 512 * 1024));
            return Exit(200, kept.Count.ToString());
            """;

        var outcome = await TestScripts.RunAsync(source, limits: Limits);

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Failure!.Limit.ShouldBe(BudgetLimit.Allocation);
        outcome.Failure.Message.ShouldContain("64 MiB");
    }

    [Fact]
    public async Task RunAsync_AllocatingAfterAnAwaitOnAnotherThread_IsStillCounted()
    {
        using var runtime = new ScriptRuntime(new FakeTimeProvider(), stackMegabytes: 16, minThreads: 2);
        var generation = TestScripts.LoadOn(runtime, """
            var kept = new List<string>();
            for (var i = 0; i < 200; i++) { await Task.Yield(); kept.Add(new string('x', 512 * 1024)); }
            return Exit(200);
            """, limits: Limits);

        var outcome = await generation.RunAsync(TestScripts.Context());
        generation.Retire();

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Failure!.Limit.ShouldBe(BudgetLimit.Allocation);
    }

    [Fact]
    public async Task RunAsync_SmallAllocations_Complete()
    {
        var outcome = await TestScripts.RunAsync("var parts = new List<string>();\nfor (var i = 0; i < 1000; i++) parts.Add(i.ToString());\nreturn Exit(200, string.Join(\",\", parts).Length.ToString());", limits: Limits);

        outcome.Status.ShouldBe(ScriptRunStatus.Completed);
    }
}
