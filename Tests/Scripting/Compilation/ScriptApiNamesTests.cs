using Shouldly;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Tests.Scripting.Compilation;

/// <summary>The completion list an editor gets: what a script of the phase can name, without the budget hooks.</summary>
public sealed class ScriptApiNamesTests
{
    [Fact]
    public void For_Rewrite_NamesRequestExitAndWhatRequestReaches()
    {
        var names = ScriptApiNames.For(ScriptPhase.Rewrite).Select(static n => n.Name).ToList();

        names.ShouldContain("Request");
        names.ShouldContain("Exit");
        names.ShouldContain("Log");
        names.ShouldContain("IScriptRequest.Headers");
        names.ShouldContain("IScriptRequest.Path");
        names.ShouldContain("IScriptHeaders.Remove");
        names.ShouldNotContain(n => n.Contains("__", StringComparison.Ordinal));
    }

    [Fact]
    public void For_Balancer_NamesCheckupsAndSetCurrentPeer()
    {
        var names = ScriptApiNames.For(ScriptPhase.Balancer).Select(static n => n.Name).ToList();

        names.ShouldContain("Checkups");
        names.ShouldContain("SetCurrentPeer");
        names.ShouldContain("IScriptCheckups.SelectPeer");
    }

    [Fact]
    public void EveryName_IsOneTheCompilerAccepts()
    {
        // Each top-level name of the list, used in a script of its phase, binds (no CS0103).
        foreach (var phase in ScriptPhases.All.Where(static p => p.IsAsync))
        {
            foreach (var (name, kind, _) in ScriptApiNames.For(phase.Phase).Where(static n => !n.Name.Contains('.', StringComparison.Ordinal)))
            {
                var use = kind == "method" ? $"_ = nameof({name});" : $"_ = {name};";
                var result = Support.TestScripts.Compile(use, phase.Phase);
                result.Errors.Where(static e => e.Id == "CS0103").ShouldBeEmpty($"{phase.Name}: {name}");
            }
        }
    }
}
