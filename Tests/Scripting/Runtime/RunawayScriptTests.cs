using Shouldly;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Runtime;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Runtime;

/// <summary>
/// Scripts that would run forever or overflow the stack fail their invocation only; the test
/// process surviving these tests is part of what they check.
/// </summary>
public sealed class RunawayScriptTests
{
    // Generous time so that these tests are decided by ticks or depth, not by a loaded machine's clock.
    private static readonly ScriptLimits Limits = new(maxTicks: 1_000_000, maxDuration: TimeSpan.FromSeconds(30), maxDepth: 100);

    public static TheoryData<string, int> Loops => new()
    {
        { "while (true) { }", 1 },
        { "var n = 0;\nfor (;;) n++;", 2 },
        { "do { Vars[\"x\"] = 1; } while (Vars.Count > 0);", 1 },
        { "var i = 0;\nagain:\ni++;\ngoto again;", 4 },
        { "var a = 1;\nIEnumerable<int> Forever() { while (true) yield return 1; } foreach (var x in Forever()) { }", 2 },
        { "var a = 1;\nforeach (var x in Enumerable.Range(0, int.MaxValue).Select(x => x + 1)) { }", 2 },
        { "await Task.Yield();\nwhile (true) { }", 2 },
    };

    public static TheoryData<string> Recursions => new()
    {
        "int Down(int n) => Down(n + 1);\nDown(0);",
        "int Ping(int n) => Pong(n + 1);\nint Pong(int n) { return Ping(n + 1); }\nPing(0);",
        "Func<int, int> f = null!;\nf = n => f(n + 1);\nf(0);",
        "static int Down(int n) => Down(n + 1);\nDown(0);",
        "Func<int, int> g = null!;\ng = static n => n;\nint Down(int n) => g(Down(n + 1));\nDown(0);",
        "async Task<int> Down(int n) => await Down(n + 1);\nawait Down(0);",
    };

    [Theory]
    [MemberData(nameof(Loops))]
    public async Task RunAsync_EndlessLoop_ExceedsTheTickBudgetAtTheLoopsLine(string source, int line)
    {
        var outcome = await TestScripts.RunAsync(source, limits: Limits);

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Failure!.Limit.ShouldBe(BudgetLimit.Ticks);
        outcome.Failure.Line.ShouldBe(line);
    }

    [Theory]
    [MemberData(nameof(Recursions))]
    public async Task RunAsync_UnboundedRecursion_ExceedsTheDepthLimit(string source)
    {
        var outcome = await TestScripts.RunAsync(source, limits: Limits);

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Failure!.Limit.ShouldBe(BudgetLimit.Depth);
    }

    [Fact]
    public async Task RunAsync_RecursionWithoutADepthLimit_StopsBeforeTheStackOverflows()
    {
        var limits = Limits with { MaxDepth = int.MaxValue, MaxTicks = long.MaxValue };

        var outcome = await TestScripts.RunAsync("int Down(int n) => Down(n + 1) + 1;\nDown(0);", limits: limits);

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Failure!.Limit.ShouldBe(BudgetLimit.Stack);
    }

    [Fact]
    public void Run_EndlessLoopInBalancer_ExceedsTheBudget()
    {
        var generation = TestScripts.Load("while (Tries >= 0) { }", ScriptPhase.Balancer, limits: Limits);

        var outcome = generation.Run(TestScripts.Context(), new BalancerTurn("up", new FakeScriptCheckups(), 0, null));
        generation.Retire();

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Failure!.Line.ShouldBe(1);
    }

    [Fact]
    public async Task RunAsync_ScriptSwallowingTheBudgetException_IsStillOverBudget()
    {
        const string source = """
            try { while (true) { } } catch (Exception) { }
            return Exit(200);
            """;

        var outcome = await TestScripts.RunAsync(source, limits: Limits);

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Result.IsExit.ShouldBeFalse();
    }

    [Fact]
    public async Task RunAsync_ScriptLoopingAfterCatchingTheBudgetException_IsStoppedAgain()
    {
        const string source = """
            var caught = 0;
            while (true)
            {
                try { while (true) { } } catch (Exception) { caught++; }
            }
            """;

        var outcome = await TestScripts.RunAsync(source, limits: Limits);

        // Where the budget ran out, not where the script was stopped again.
        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Failure!.Line.ShouldBe(4);
    }

    [Fact]
    public async Task RunAsync_LoopWithinBudget_Completes()
    {
        const string source = """
            var total = 0L;
            for (var i = 0; i < 100_000; i++) total += i;
            int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);
            return total == 4_999_950_000L && Fib(15) == 610 ? Exit(200) : Exit(500);
            """;

        var outcome = await TestScripts.RunAsync(source, limits: Limits);

        outcome.Status.ShouldBe(ScriptRunStatus.Completed);
        outcome.Result.Status.ShouldBe(200);
    }

    [Fact]
    public async Task RunAsync_EndlessLoopWithTheDefaultLimits_ExceedsTheBudget()
    {
        var outcome = await TestScripts.RunAsync("for (;;) { }");

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Failure!.Limit.ShouldBeOneOf(BudgetLimit.Ticks, BudgetLimit.Duration);
    }
}
