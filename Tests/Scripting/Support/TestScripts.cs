using Shouldly;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Loading;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Tests.Scripting.Support;

/// <summary>Compiling, loading and running scripts in tests, with one compiler for the whole run.</summary>
internal static class TestScripts
{
    /// <summary>Shared, like the gateway's: the references (and Roslyn's caches) are built once.</summary>
    public static ScriptCompiler Compiler { get; } = new();

    public static ScriptCompileResult Compile(string source, ScriptPhase phase = ScriptPhase.Rewrite, bool trusted = false, ScriptLimits? limits = null) =>
        Compiler.Compile(new ScriptCompileRequest(source, phase) { Trusted = trusted, Limits = limits ?? ScriptLimits.Default });

    public static CompiledScript CompileOk(string source, ScriptPhase phase = ScriptPhase.Rewrite, bool trusted = false, ScriptLimits? limits = null)
    {
        var result = Compile(source, phase, trusted, limits);
        result.Errors.ShouldBeEmpty();
        return result.Script!;
    }

    public static ScriptDiagnostic SingleError(string source, ScriptPhase phase = ScriptPhase.Rewrite)
    {
        var result = Compile(source, phase);
        result.Success.ShouldBeFalse();
        return result.Errors.ShouldHaveSingleItem();
    }

    public static ScriptGeneration Load(string source, ScriptPhase phase = ScriptPhase.Rewrite, bool trusted = false, ScriptLimits? limits = null) =>
        ScriptGeneration.Load(CompileOk(source, phase, trusted, limits));

    /// <summary>Loads a generation whose invocations run on <paramref name="runtime"/>'s script threads, as in the gateway.</summary>
    public static ScriptGeneration LoadOn(ScriptRuntime runtime, string source, ScriptPhase phase = ScriptPhase.Rewrite, bool trusted = false, ScriptLimits? limits = null) =>
        ScriptGeneration.Load(CompileOk(source, phase, trusted, limits), runtime: runtime);

    public static ScriptRequestContext Context(FakeScriptRequest? request = null, string? upstream = "node-dev.example.com") =>
        new(request ?? new FakeScriptRequest(), new ScriptVars(), new RecordingScriptLog(), upstream);

    public static async Task<ScriptOutcome> RunAsync(string source, ScriptRequestContext? context = null, ScriptPhase phase = ScriptPhase.Rewrite, ScriptLimits? limits = null)
    {
        var generation = Load(source, phase, limits: limits);
        try
        {
            return await generation.RunAsync(context ?? Context());
        }
        finally
        {
            generation.Retire();
        }
    }
}
