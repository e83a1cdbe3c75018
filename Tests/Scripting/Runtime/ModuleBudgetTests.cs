using Shouldly;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Loading;
using Slardar.Scriptable.Scripting.Runtime;
using Slardar.Scriptable.Tests.Scripting.Compilation;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Runtime;

/// <summary>Module code runs under the budget of the script invocation that called it, across awaits too.</summary>
public sealed class ModuleBudgetTests
{
    private static readonly ScriptModule Loops = new("loops", """
        namespace Acme.Loops;

        public static class Spin
        {
            public static int Forever()
            {
                var n = 0;
                while (true) { n++; }
            }

            public static int Deep(int n) => Deep(n + 1) + 1;

            public static int Prop => Prop + 1;

            public static async Task<int> AfterAwait()
            {
                await Task.Yield();
                return Forever();
            }

            public static bool Slow(string input) => System.Text.RegularExpressions.Regex.IsMatch(input, "^(a+)+$");
        }
        """);

    [Theory]
    [InlineData("Acme.Loops.Spin.Forever();", 8)]
    [InlineData("await Acme.Loops.Spin.AfterAwait();", 8)]
    public async Task RunAsync_ModuleLoopingForever_StopsAtTheBudgetOnTheModuleLine(string script, int line)
    {
        var outcome = await RunAsync(script, ScriptLimits.Default with { MaxDuration = TimeSpan.FromMilliseconds(200) });

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Failure!.Line.ShouldBe(line);
    }

    [Theory]
    [InlineData("Acme.Loops.Spin.Deep(0);")]
    [InlineData("_ = Acme.Loops.Spin.Prop;")]
    public async Task RunAsync_ModuleRecursingWithoutEnd_StopsAtTheDepthLimit(string script)
    {
        var outcome = await RunAsync(script, ScriptLimits.Default with { MaxDuration = TimeSpan.FromSeconds(30) });

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Failure!.Limit.ShouldNotBeNull();
        outcome.Failure.Limit.Value.ShouldBeOneOf(BudgetLimit.Depth, BudgetLimit.Stack);
    }

    [Fact]
    public async Task RunAsync_ModuleRegex_GetsTheBudgetAsTimeout()
    {
        var outcome = await RunAsync("Acme.Loops.Spin.Slow(new string('a', 40) + \"!\");", ScriptLimits.Default with { MaxDuration = TimeSpan.FromMilliseconds(200) });

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
    }

    [Fact]
    public async Task RunAsync_ModuleHelper_Answers()
    {
        var outcome = await RunAsync("using Acme.Auth;\nreturn Tokens.IsValid(\"ok-1\") ? Exit(204) : Exit(401);", ScriptLimits.Default, ModuleCompileTests.Auth);

        (outcome.Status, outcome.Result.Status).ShouldBe((ScriptRunStatus.Completed, 204));
    }

    private static async Task<ScriptOutcome> RunAsync(string script, ScriptLimits limits, ScriptModule? module = null)
    {
        var compiled = TestScripts.Compiler.Compile(new ScriptCompileRequest(script, ScriptPhase.Rewrite) { Modules = [module ?? Loops], Limits = limits });
        compiled.Errors.ShouldBeEmpty();
        var generation = ScriptGeneration.Load(compiled.Script!);
        try
        {
            return await generation.RunAsync(TestScripts.Context());
        }
        finally
        {
            generation.Retire();
        }
    }
}
