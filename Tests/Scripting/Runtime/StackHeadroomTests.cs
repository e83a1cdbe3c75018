using Shouldly;
using Slardar.Scriptable.Scripting.Runtime;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Runtime;

/// <summary>Every instrumented entry checks the stack: functions, lambdas, iterators (each step), async functions.</summary>
public sealed class StackHeadroomTests
{
    private static readonly ScriptLimits Unbounded = new(maxTicks: long.MaxValue, maxDuration: TimeSpan.FromSeconds(60), maxDepth: int.MaxValue);

    public static TheoryData<string> DeepRecursions => new()
    {
        // Each level's first step recurses into the next iterator's first step.
        "IEnumerable<int> Down(int n) { foreach (var x in Down(n + 1)) yield return x; yield return n; }\nreturn Exit(200, Down(0).Count().ToString());",
        // Each level recurses from its second step (the resumption after a yield return).
        "IEnumerable<int> Down(int n) { yield return n; var e = Down(n + 1).GetEnumerator(); e.MoveNext(); e.MoveNext(); }\nreturn Exit(200, Down(0).Skip(1).Any().ToString());",
        "Func<int, int> f = null!;\nf = n => f(n + 1) + 1;\nreturn Exit(200, f(0).ToString());",
    };

    [Theory]
    [MemberData(nameof(DeepRecursions))]
    public async Task RunAsync_UnboundedRecursionWithoutDepthLimit_StopsAtTheStackGuard(string source)
    {
        var outcome = await TestScripts.RunAsync(source, limits: Unbounded);

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded, outcome.Failure?.Message);
        outcome.Failure!.Limit.ShouldBe(BudgetLimit.Stack);
    }

    [Fact]
    public async Task RunAsync_IteratorsAbandonedHalfWay_DoNotKeepDepthLevels()
    {
        // Before: each abandoned iterator kept its level (its finally never ran), and the depth
        // limit of 5 was reached by a recursion only 3 deep.
        const string source = """
            IEnumerable<int> Numbers() { yield return 1; yield return 2; }
            for (var i = 0; i < 10; i++) { var e = Numbers().GetEnumerator(); e.MoveNext(); }
            int Down(int n) => n == 0 ? 0 : Down(n - 1) + 1;
            return Exit(200, Down(3).ToString());
            """;
        var limits = new ScriptLimits(maxTicks: 1_000_000, maxDuration: TimeSpan.FromSeconds(30), maxDepth: 5);

        var outcome = await TestScripts.RunAsync(source, limits: limits);

        outcome.Status.ShouldBe(ScriptRunStatus.Completed, outcome.Failure?.Message);
        outcome.Result.Body.ShouldBe("3");
    }

    [Fact]
    public async Task RunAsync_IteratorsAndAsyncIterators_RunAsBefore()
    {
        const string source = """
            IEnumerable<int> Numbers(int n) { for (var i = 0; i < n; i++) yield return i; }
            async IAsyncEnumerable<int> Later() { await Task.Yield(); yield return 10; yield return 20; }
            var total = Numbers(5).Sum();
            await foreach (var x in Later()) total += x;
            return Exit(200, total.ToString());
            """;

        var outcome = await TestScripts.RunAsync(source, limits: new ScriptLimits(1_000_000, TimeSpan.FromSeconds(30), 100));

        outcome.Status.ShouldBe(ScriptRunStatus.Completed, outcome.Failure?.Message);
        outcome.Result.Body.ShouldBe("40");
    }
}
