namespace Slardar.Scriptable.Scripting.Api;

/// <summary>The script's log. Lines are tagged with the script's host and phase by the gateway.</summary>
public interface IScriptLog
{
    void Debug(string message);

    void Info(string message);

    void Warn(string message);

    void Error(string message);
}
