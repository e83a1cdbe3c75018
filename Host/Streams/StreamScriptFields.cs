using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>The headers and query of a TCP session as a script sees them: there are none, and none can be set.</summary>
internal sealed class StreamScriptFields : IScriptHeaders, IScriptQuery
{
    public static StreamScriptFields Instance { get; } = new();

    public string? this[string name]
    {
        get => null;
        set => throw new InvalidOperationException("A TCP session has no headers.");
    }

    public IReadOnlyCollection<string> Names => [];

    public bool Contains(string name) => false;

    public bool Remove(string name) => false;
}
