using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Tests.Scripting.Support;

internal sealed class FakeScriptQuery(Func<string> queryString) : IScriptQuery
{
    public string? this[string name] => Parse().FirstOrDefault(pair => pair.Name == name).Value;

    public bool Contains(string name) => Parse().Any(pair => pair.Name == name);

    private IEnumerable<(string Name, string Value)> Parse() =>
        queryString()
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Select(kv => (Uri.UnescapeDataString(kv[0]), kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty));
}
