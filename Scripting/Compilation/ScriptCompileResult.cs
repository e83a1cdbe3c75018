using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>Either a <see cref="CompiledScript"/> (with its warnings) or the errors that stopped it.</summary>
internal sealed class ScriptCompileResult
{
    private ScriptCompileResult(CompiledScript? script, ImmutableArray<ScriptDiagnostic> diagnostics, ScriptCompileRefusal? refusal = null)
    {
        Script = script;
        Diagnostics = diagnostics;
        Refusal = refusal;
    }

    public CompiledScript? Script { get; }

    /// <summary>Every error and warning, in source order.</summary>
    public ImmutableArray<ScriptDiagnostic> Diagnostics { get; }

    [MemberNotNullWhen(true, nameof(Script))]
    public bool Success => Script is not null;

    /// <summary>Set when the compiler did not judge the source: a limit, a full queue, a timeout or a crash (the reason is also the one diagnostic).</summary>
    public ScriptCompileRefusal? Refusal { get; }

    public IEnumerable<ScriptDiagnostic> Errors => Diagnostics.Where(static d => d.IsError);

    public static ScriptCompileResult Compiled(CompiledScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return new(script, script.Warnings);
    }

    public static ScriptCompileResult Failed(ImmutableArray<ScriptDiagnostic> diagnostics)
    {
        if (!diagnostics.Any(static d => d.IsError))
        {
            throw new ArgumentException("A failed compilation has at least one error.", nameof(diagnostics));
        }

        return new(null, diagnostics);
    }

    public static ScriptCompileResult Refused(ScriptCompileRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new(null, [new ScriptDiagnostic(0, 0, refusal.Id, refusal.Message, ScriptDiagnostic.Error)], refusal);
    }
}
