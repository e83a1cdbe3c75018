using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>Query parameters for scripts; reads the request each time, so it follows a rewritten QueryString.</summary>
internal sealed class HttpScriptQuery : IScriptQuery
{
    private readonly HttpRequest _request;

    public HttpScriptQuery(HttpRequest request)
    {
        _request = request;
    }

    public string? this[string name] => _request.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    public bool Contains(string name) => _request.Query.ContainsKey(name);
}
