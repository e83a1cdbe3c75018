namespace Slardar.Scriptable.Scripting.Api;

/// <summary>Query arguments by name (case-sensitive, decoded).</summary>
public interface IScriptQuery
{
    /// <summary>The first value of the argument, or null when absent (nginx's $arg_name).</summary>
    string? this[string name] { get; }

    bool Contains(string name);
}
