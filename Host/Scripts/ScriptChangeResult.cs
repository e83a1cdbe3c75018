using System.Collections.Immutable;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>The answer to one script change: accepted (with its version), or refused with a reason and the compiler's diagnostics.</summary>
internal sealed record ScriptChangeResult(bool Accepted, string? Error, int? Version, ImmutableArray<ScriptDiagnostic> Diagnostics)
{
    /// <summary>Refused for now (a full compile queue, no compile worker), not for what the source says: 503, not 400.</summary>
    public bool Transient { get; init; }

    /// <summary>Where the change spent its time; default when it was refused.</summary>
    public ScriptChangeTiming Timing { get; init; }

    public static ScriptChangeResult Ok(int? version, ImmutableArray<ScriptDiagnostic> warnings) => new(true, null, version, warnings);

    public static ScriptChangeResult Fail(string error, ImmutableArray<ScriptDiagnostic> diagnostics = default) =>
        new(false, error, null, diagnostics.IsDefault ? [] : diagnostics);

    /// <summary>A compile that failed: the refusal's message (naming its limit) when the compiler did not judge the source.</summary>
    public static ScriptChangeResult NotCompiled(ScriptCompileResult compiled, string error) => compiled.Refusal is { } refusal
        ? Fail(refusal.Message, compiled.Diagnostics) with { Transient = refusal.Transient }
        : Fail(error, compiled.Diagnostics);
}
