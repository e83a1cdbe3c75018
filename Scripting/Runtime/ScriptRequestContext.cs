using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// What the host hands the scripts of one request: created once per request and shared by its
/// rewrite, auth, content and balancer invocations, so <see cref="Vars"/> and <see cref="Upstream"/> carry
/// from one phase to the next.
/// </summary>
internal sealed class ScriptRequestContext
{
    public ScriptRequestContext(IScriptRequest request, ScriptVars vars, IScriptLog log, string? upstream = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(vars);
        ArgumentNullException.ThrowIfNull(log);
        Request = request;
        Vars = vars;
        Log = log;
        Upstream = upstream;
    }

    public IScriptRequest Request { get; }

    public ScriptVars Vars { get; }

    /// <summary>The log of the phase running now: the host sets it before each phase, so lines carry that phase's tag.</summary>
    public IScriptLog Log { get; set; }

    /// <summary>The upstream the request goes to; rewrite, auth and content scripts may change it.</summary>
    public string? Upstream { get; set; }

    /// <summary>For a stream listener's preread script: the session's first bytes and what the script chose; null for HTTP.</summary>
    public PrereadState? Preread { get; init; }

    /// <summary>A content script's services, set by the gateway when the host has a content script; null otherwise.</summary>
    public IContentSession? Content { get; set; }
}
