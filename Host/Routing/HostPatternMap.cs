using System.Collections.Frozen;

namespace Slardar.Scriptable.Host.Routing;

/// <summary>
/// Values keyed by host pattern (exact host, <c>*.suffix</c> wildcard, or <c>_</c>), looked up
/// without allocating: exact first, then the most specific wildcard, then the default. Shared by
/// the route table and the per-host script sets, so both read hosts the same way.
/// </summary>
internal sealed class HostPatternMap<T>
    where T : class
{
    private readonly FrozenDictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _exact;

    // Keyed by the suffix with its leading dot (".example.com"), so a lookup walks the host's dots.
    private readonly FrozenDictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _wildcard;
    private readonly T? _default;

    public HostPatternMap(IEnumerable<KeyValuePair<string, T>> entries)
    {
        var exact = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        var wildcard = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (var (pattern, value) in entries)
        {
            if (pattern == HostBinding.DefaultPattern)
            {
                _default = value;
            }
            else if (pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                wildcard[pattern[1..]] = value;
            }
            else
            {
                exact[pattern] = value;
            }
        }

        _exact = exact.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcard = wildcard.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public bool TryGetExact(string host, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value) => _exact.TryGetValue(host, out value);

    /// <summary>The most specific wildcard for <paramref name="host"/>: for a.b.example.com, .b.example.com before .example.com.</summary>
    public bool TryGetWildcard(string host, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value)
    {
        var span = host.AsSpan();
        for (var dot = span.IndexOf('.'); dot >= 0;)
        {
            if (_wildcard.TryGetValue(span[dot..], out value))
            {
                return true;
            }

            var next = span[(dot + 1)..].IndexOf('.');
            dot = next < 0 ? -1 : dot + 1 + next;
        }

        value = null;
        return false;
    }

    public T? Default => _default;

    /// <summary>Exact, then wildcard, then default; null when none applies.</summary>
    public T? Find(string host) =>
        TryGetExact(host, out var exact) ? exact
        : TryGetWildcard(host, out var wildcard) ? wildcard
        : _default;
}
