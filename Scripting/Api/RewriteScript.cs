namespace Slardar.Scriptable.Scripting.Api;

/// <summary>Base of rewrite-phase scripts: change the request, pick the upstream, or answer at once.</summary>
public abstract class RewriteScript : RequestScript
{
    protected RewriteScript()
    {
    }
}
