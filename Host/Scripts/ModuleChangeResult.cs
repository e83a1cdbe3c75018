using System.Collections.Immutable;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// The answer to one module change: accepted (with its version and the scripts recompiled with it),
/// or refused with the module's own diagnostics, the dependents that would no longer compile, or the
/// scripts that still use it (a delete).
/// </summary>
internal sealed record ModuleChangeResult(bool Accepted, string? Error, int? Version, ImmutableArray<ScriptDiagnostic> Diagnostics)
{
    /// <summary>The HTTP status a refusal answers with: 400 (the source), 404, 409 (in use), 503 (try again).</summary>
    public int Status { get; init; } = 200;

    /// <summary>Scripts that would no longer compile with the change, each with its diagnostics (module findings carry the module's file).</summary>
    public ImmutableArray<DependentFailure> Dependents { get; init; } = [];

    /// <summary>Scripts compiled again and swapped in together with the change (or that would be, on a dry run).</summary>
    public ImmutableArray<string> Recompiled { get; init; } = [];

    /// <summary>Scripts that use the module: why a delete is refused.</summary>
    public ImmutableArray<string> Users { get; init; } = [];

    public static ModuleChangeResult Ok(int? version, ImmutableArray<ScriptDiagnostic> warnings, ImmutableArray<string> recompiled) =>
        new(true, null, version, warnings) { Recompiled = recompiled };

    public static ModuleChangeResult Fail(int status, string error, ImmutableArray<ScriptDiagnostic> diagnostics = default) =>
        new(false, error, null, diagnostics.IsDefault ? [] : diagnostics) { Status = status };

    /// <summary>A compile that failed: 503 when the compiler did not judge the source (a full queue), else 400.</summary>
    public static ModuleChangeResult NotCompiled(ScriptCompileResult compiled, string error) => compiled.Refusal is { } refusal
        ? Fail(refusal.Transient ? 503 : 400, refusal.Message, compiled.Diagnostics)
        : Fail(400, error, compiled.Diagnostics);
}
