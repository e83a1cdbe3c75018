using System.Collections.Immutable;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>The answer to one script change: accepted (with its version), or refused with a reason and the compiler's diagnostics.</summary>
internal sealed record ScriptChangeResult(bool Accepted, string? Error, int? Version, ImmutableArray<ScriptDiagnostic> Diagnostics)
{
    public static ScriptChangeResult Ok(int? version, ImmutableArray<ScriptDiagnostic> warnings) => new(true, null, version, warnings);

    public static ScriptChangeResult Fail(string error, ImmutableArray<ScriptDiagnostic> diagnostics = default) =>
        new(false, error, null, diagnostics.IsDefault ? [] : diagnostics);
}
