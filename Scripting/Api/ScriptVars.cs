using System.Diagnostics.CodeAnalysis;

namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// Per-request values shared by every phase of one request, like ngx.ctx: what rewrite stores, auth
/// and the balancer read. Names are case-sensitive. Not thread-safe: a request's phases run one
/// after another. The map is created on first write, so a request whose scripts never store
/// anything pays nothing.
/// </summary>
public sealed class ScriptVars
{
    private Dictionary<string, object?>? _values;

    /// <summary>The value stored under <paramref name="name"/>, or null; setting null keeps the name.</summary>
    public object? this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            return _values is not null && _values.TryGetValue(name, out var value) ? value : null;
        }

        set
        {
            ArgumentNullException.ThrowIfNull(name);
            (_values ??= new(StringComparer.Ordinal))[name] = value;
        }
    }

    public int Count => _values?.Count ?? 0;

    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _values is not null && _values.ContainsKey(name);
    }

    /// <summary>Gets the value stored under <paramref name="name"/> if there is one of type <typeparamref name="T"/>.</summary>
    public bool TryGet<T>(string name, [MaybeNullWhen(false)] out T value)
    {
        if (this[name] is T typed)
        {
            value = typed;
            return true;
        }

        value = default;
        return false;
    }

    public bool Remove(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _values is not null && _values.Remove(name);
    }
}
