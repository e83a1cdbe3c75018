using System.Runtime.CompilerServices;
using Shouldly;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Loading;
using Slardar.Scriptable.Scripting.Runtime;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Loading;

/// <summary>
/// Unloading must really collect. These tests are synchronous and load, run and retire in
/// non-inlined helpers, so no local of the test method (nor an async state machine) holds on to
/// the generation; test.sh runs them in Release, where the JIT does not stretch lifetimes.
/// </summary>
public sealed class ScriptGenerationTests
{
    private const string Busy = """
        if (Request.Path == "/boom") throw new InvalidOperationException("boom");
        if (Request.Path == "/loop") while (true) { }
        var words = Request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToUpperInvariant()).ToList();
        Func<string> describe = () => string.Join(",", words);
        Vars["words"] = describe();
        Log.Info(describe());
        return words.Count > 1 ? Exit(200, describe()) : Next;
        """;

    [Fact]
    public void Retire_AfterRuns_ContextIsCollected()
    {
        var script = TestScripts.CompileOk(Busy, limits: ScriptLimits.Default with { MaxDuration = TimeSpan.FromSeconds(30) });
        var tracker = new ScriptGenerationTracker();

        var statuses = LoadRunRetire(script, tracker, "/a/b", "/boom", "/loop", "/c");

        statuses.ShouldBe([ScriptRunStatus.Completed, ScriptRunStatus.Faulted, ScriptRunStatus.BudgetExceeded, ScriptRunStatus.Completed]);
        tracker.Unloaded.ShouldBe(1);
        CollectUntilCollected(tracker).ShouldBeTrue();
    }

    [Fact]
    public void Retire_ThousandCompileLoadRunCycles_LeaveNoGenerationAlive()
    {
        var tracker = new ScriptGenerationTracker();

        for (var i = 0; i < 1000; i++)
        {
            var script = TestScripts.CompileOk($"if (Request.Path == \"/{i}\") return Exit(404); Vars[\"n\"] = {i};");
            LoadRunRetire(script, tracker, "/x").ShouldBe([ScriptRunStatus.Completed]);
        }

        tracker.Unloaded.ShouldBe(1000);
        CollectUntilCollected(tracker).ShouldBeTrue();
    }

    [Fact]
    public void Retire_WhileAnInvocationRuns_UnloadsWhenItEnds()
    {
        var tracker = new ScriptGenerationTracker();
        var (inFlight, unloadedDuring, unloadedAfter, status) = RetireDuringRun(tracker);

        (inFlight, unloadedDuring, unloadedAfter, status).ShouldBe((1, false, true, ScriptRunStatus.Completed));
        tracker.Unloaded.ShouldBe(1);
        CollectUntilCollected(tracker).ShouldBeTrue();
    }

    [Fact]
    public async Task RunAsync_AfterUnload_StillRuns()
    {
        // A request that picked the generation just before the swap may start after the unload.
        var generation = ScriptGeneration.Load(TestScripts.CompileOk("return Exit(209);"));
        generation.Retire();

        var outcome = await generation.RunAsync(TestScripts.Context());

        generation.IsUnloaded.ShouldBeTrue();
        outcome.Result.Status.ShouldBe(209);
    }

    [Fact]
    public void Retire_Twice_UnloadsOnce()
    {
        var tracker = new ScriptGenerationTracker();
        var generation = ScriptGeneration.Load(TestScripts.CompileOk("return Next;"), tracker: tracker);

        generation.Retire();
        generation.Retire();

        (generation.IsRetired, generation.IsUnloaded, tracker.Unloaded).ShouldBe((true, true, 1L));
    }

    [Fact]
    public void Run_RewriteScriptAsBalancer_Throws()
    {
        var generation = ScriptGeneration.Load(TestScripts.CompileOk("return Next;"));

        Should.Throw<InvalidOperationException>(() => generation.Run(TestScripts.Context(), new BalancerTurn("up", new FakeScriptCheckups(), 0, null)));
        generation.Retire();
    }

    [Fact]
    public void Load_KeepsCompileTimeLimitsAndPhase()
    {
        var limits = new ScriptLimits(1000, TimeSpan.FromSeconds(1), 7);

        var generation = ScriptGeneration.Load(TestScripts.CompileOk("return Next;", ScriptPhase.Auth, limits: limits));
        generation.Retire();

        (generation.Phase, generation.Limits).ShouldBe((ScriptPhase.Auth, limits));
        generation.Name.ShouldStartWith("slardar-script-auth-");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<ScriptRunStatus> LoadRunRetire(CompiledScript script, ScriptGenerationTracker tracker, params string[] paths)
    {
        var generation = ScriptGeneration.Load(script, tracker: tracker);
        var statuses = new List<ScriptRunStatus>();
        foreach (var path in paths)
        {
            var outcome = generation.RunAsync(TestScripts.Context(new FakeScriptRequest { Path = path })).AsTask().GetAwaiter().GetResult();
            statuses.Add(outcome.Status);
        }

        generation.Retire();
        return statuses;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (int InFlight, bool UnloadedDuring, bool UnloadedAfter, ScriptRunStatus Status) RetireDuringRun(ScriptGenerationTracker tracker)
    {
        var generation = ScriptGeneration.Load(TestScripts.CompileOk("SetCurrentPeer(Checkups.SelectPeer(Upstream));", ScriptPhase.Balancer), tracker: tracker);
        var inFlight = -1;
        var unloadedDuring = true;
        var checkups = new FakeScriptCheckups().With("up", new Slardar.Scriptable.Scripting.Api.Peer("10.0.0.1", 80));
        checkups.OnSelect = () =>
        {
            generation.Retire();
            inFlight = generation.InFlight;
            unloadedDuring = generation.IsUnloaded;
        };

        var outcome = generation.Run(TestScripts.Context(), new BalancerTurn("up", checkups, 0, null));
        return (inFlight, unloadedDuring, generation.IsUnloaded, outcome.Status);
    }

    private static bool CollectUntilCollected(ScriptGenerationTracker tracker)
    {
        for (var i = 0; i < 20 && tracker.CountAlive() > 0; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return tracker.CountAlive() == 0;
    }
}
