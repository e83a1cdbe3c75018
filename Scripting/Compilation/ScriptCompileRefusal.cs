namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>Why a source was not compiled at all; <see cref="Message"/> names the limit and its key when one applies.</summary>
/// <param name="Id">The diagnostic id the refusal is reported under (SLS01xx).</param>
internal sealed record ScriptCompileRefusal(ScriptCompileRefusalKind Kind, string Id, string Message)
{
    /// <summary>Refusals that say nothing about the source (a full queue, a worker that cannot start): try again later.</summary>
    public bool Transient => Kind is ScriptCompileRefusalKind.Busy or ScriptCompileRefusalKind.Unavailable;
}
