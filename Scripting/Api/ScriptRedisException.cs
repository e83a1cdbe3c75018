namespace Slardar.Scriptable.Scripting.Api;

/// <summary>A Redis call failed: the connection is down, the call timed out, or Redis refused it.</summary>
public sealed class ScriptRedisException : Exception
{
    public ScriptRedisException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
