namespace Slardar.Scriptable.Scripting.Api;

/// <summary>Base of auth-phase scripts: return <c>Next</c> to allow, <c>Exit(...)</c> to deny.</summary>
public abstract class AuthScript : RequestScript
{
    protected AuthScript()
    {
    }
}
