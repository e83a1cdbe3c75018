using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.RuntimeMeasure;

/// <summary>A log that drops every line.</summary>
internal sealed class NullLog : IScriptLog
{
    public void Debug(string message)
    {
    }

    public void Info(string message)
    {
    }

    public void Warn(string message)
    {
    }

    public void Error(string message)
    {
    }
}
