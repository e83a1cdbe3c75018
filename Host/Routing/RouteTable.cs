using System.Collections.Frozen;

namespace Slardar.Scriptable.Host.Routing;

/// <summary>
/// Immutable host → upstream lookup built from one <see cref="ManifestConfig"/>. Order: an exact
/// binding, then an upstream named after the host (Slardar's skey = Host), then the most specific
/// wildcard binding, then the default binding <c>_</c>.
/// </summary>
internal sealed class RouteTable
{
    private readonly FrozenDictionary<string, HostBinding> _exact;
    private readonly FrozenDictionary<string, HostBinding>.AlternateLookup<ReadOnlySpan<char>> _exactBySpan;

    // Keyed by the suffix including its leading dot (".example.com"), so a lookup walks the dots of the host.
    private readonly FrozenDictionary<string, HostBinding>.AlternateLookup<ReadOnlySpan<char>> _wildcardBySuffix;
    private readonly HostBinding? _default;

    public RouteTable(ManifestConfig config)
    {
        Config = config;
        _exact = config.Hosts.Where(h => !h.IsWildcard && !h.IsDefault)
            .ToFrozenDictionary(h => h.Pattern, StringComparer.OrdinalIgnoreCase);
        _exactBySpan = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcardBySuffix = config.Hosts.Where(h => h.IsWildcard)
            .ToFrozenDictionary(h => h.Pattern[1..], StringComparer.OrdinalIgnoreCase)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        _default = config.Hosts.FirstOrDefault(h => h.IsDefault);
    }

    public static RouteTable Empty { get; } = new(ManifestConfig.Empty);

    public ManifestConfig Config { get; }

    /// <param name="host">The request's host without port.</param>
    /// <param name="upstreamExists">Whether an upstream of that name exists (Slardar's skey = Host rule).</param>
    public RouteMatch Resolve(string host, Func<string, bool> upstreamExists)
    {
        if (_exactBySpan.TryGetValue(host, out var exact))
        {
            return new RouteMatch(RouteMatchKind.ExactBinding, exact.Upstream ?? host, exact);
        }

        if (host.Length > 0 && upstreamExists(host))
        {
            return new RouteMatch(RouteMatchKind.NamedUpstream, host, null);
        }

        // Longest suffix first: for a.b.example.com try .b.example.com, then .example.com, then .com.
        var span = host.AsSpan();
        for (var dot = span.IndexOf('.'); dot >= 0; dot = NextDot(span, dot))
        {
            if (_wildcardBySuffix.TryGetValue(span[dot..], out var wildcard))
            {
                return new RouteMatch(RouteMatchKind.WildcardBinding, wildcard.Upstream ?? host, wildcard);
            }
        }

        if (_default is not null)
        {
            return new RouteMatch(RouteMatchKind.DefaultBinding, _default.Upstream ?? host, _default);
        }

        return default;
    }

    private static int NextDot(ReadOnlySpan<char> host, int dot)
    {
        var next = host[(dot + 1)..].IndexOf('.');
        return next < 0 ? -1 : dot + 1 + next;
    }
}
