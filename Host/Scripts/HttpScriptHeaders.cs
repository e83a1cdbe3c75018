using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>Request headers for scripts: missing reads as null, several values read comma-joined, null removes.</summary>
internal sealed class HttpScriptHeaders : IScriptHeaders
{
    private readonly IHeaderDictionary _headers;

    public HttpScriptHeaders(IHeaderDictionary headers)
    {
        _headers = headers;
    }

    public string? this[string name]
    {
        get => _headers.TryGetValue(name, out var value) ? value.ToString() : null;
        set
        {
            if (value is null)
            {
                _headers.Remove(name);
            }
            else
            {
                _headers[name] = value;
            }
        }
    }

    public bool Contains(string name) => _headers.ContainsKey(name);

    public IReadOnlyCollection<string> Names => _headers.Keys.ToArray();

    public bool Remove(string name) => _headers.Remove(name);
}
