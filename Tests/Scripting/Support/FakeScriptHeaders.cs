using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Tests.Scripting.Support;

internal sealed class FakeScriptHeaders : IScriptHeaders
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public string? this[string name]
    {
        get => _values.GetValueOrDefault(name);
        set
        {
            if (value is null)
            {
                _values.Remove(name);
            }
            else
            {
                _values[name] = value;
            }
        }
    }

    public bool Contains(string name) => _values.ContainsKey(name);

    public IReadOnlyCollection<string> Names => _values.Keys;

    public bool Remove(string name) => _values.Remove(name);
}
