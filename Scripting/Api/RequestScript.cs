namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// Base of the phases that run once per request before the balancer (rewrite, auth, content): they
/// may <c>await</c> and may choose the upstream.
/// </summary>
public abstract class RequestScript : ScriptBase
{
    private protected RequestScript()
    {
    }

    /// <summary>Name of the upstream the request goes to; null when none is chosen yet.</summary>
    protected string? Upstream
    {
        get => Context.Upstream;
        set => Context.Upstream = value;
    }

    /// <summary>The script's body.</summary>
    protected abstract ValueTask<ScriptResult> RunAsync();

    internal ValueTask<ScriptResult> InvokeAsync() => RunAsync();
}
