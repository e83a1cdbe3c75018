using System.Runtime.CompilerServices;
using Shouldly;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Loading;
using Slardar.Scriptable.Scripting.Runtime;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Loading;

/// <summary>
/// Module code loads into the collectible context of the script that uses it: a thousand module
/// changes (each a new generation of the dependent script) leave no context alive. As in
/// <see cref="ScriptGenerationTests"/>, work happens in non-inlined helpers so no local holds a generation.
/// </summary>
public sealed class ModuleUnloadTests
{
    [Fact]
    public void Retire_ThousandModuleChanges_LeaveNoGenerationAlive()
    {
        var tracker = new ScriptGenerationTracker();

        for (var i = 0; i < 1000; i++)
        {
            LoadRunRetire(i, tracker).ShouldBe(ScriptRunStatus.Completed);
        }

        tracker.Unloaded.ShouldBe(1000);
        for (var i = 0; i < 20 && tracker.CountAlive() > 0; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        tracker.CountAlive().ShouldBe(0);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ScriptRunStatus LoadRunRetire(int version, ScriptGenerationTracker tracker)
    {
        // Static state, a record and a lambda in the module: all of it belongs to the script's context.
        var module = new ScriptModule("acme.counter", $$"""
            namespace Acme.Counter;
            public readonly record struct Hit(string Path, int Version);
            public static class Counter
            {
                private static readonly List<Hit> Seen = [];
                public static int Count(string path)
                {
                    Seen.Add(new Hit(path, {{version}}));
                    return Seen.Where(h => h.Path == path).Count();
                }
            }
            """);
        var compiled = TestScripts.Compiler.Compile(new ScriptCompileRequest("Vars[\"n\"] = Acme.Counter.Counter.Count(Request.Path);", ScriptPhase.Rewrite) { Modules = [module] });
        compiled.Errors.ShouldBeEmpty();
        var generation = ScriptGeneration.Load(compiled.Script!, tracker: tracker);
        var status = generation.RunAsync(TestScripts.Context()).AsTask().GetAwaiter().GetResult().Status;
        generation.Retire();
        return status;
    }
}
