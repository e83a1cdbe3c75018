namespace Slardar.Scriptable.Host.Routing;

/// <summary>
/// Immutable host → upstream lookup built from one <see cref="ManifestConfig"/>. Order: an exact
/// binding, then an upstream named after the host (Slardar's skey = Host), then the most specific
/// wildcard binding, then the default binding <c>_</c>.
/// </summary>
internal sealed class RouteTable
{
    private readonly HostPatternMap<HostBinding> _bindings;

    public RouteTable(ManifestConfig config)
    {
        Config = config;
        _bindings = new HostPatternMap<HostBinding>(config.Hosts.Select(h => KeyValuePair.Create(h.Pattern, h)));
    }

    public static RouteTable Empty { get; } = new(ManifestConfig.Empty);

    public ManifestConfig Config { get; }

    /// <param name="host">The request's host without port.</param>
    /// <param name="upstreamExists">Whether an upstream of that name exists (Slardar's skey = Host rule).</param>
    public RouteMatch Resolve(string host, Func<string, bool> upstreamExists)
    {
        if (_bindings.TryGetExact(host, out var exact))
        {
            return new RouteMatch(RouteMatchKind.ExactBinding, exact.Upstream ?? host, exact);
        }

        if (host.Length > 0 && upstreamExists(host))
        {
            return new RouteMatch(RouteMatchKind.NamedUpstream, host, null);
        }

        if (_bindings.TryGetWildcard(host, out var wildcard))
        {
            return new RouteMatch(RouteMatchKind.WildcardBinding, wildcard.Upstream ?? host, wildcard);
        }

        return _bindings.Default is { } fallback
            ? new RouteMatch(RouteMatchKind.DefaultBinding, fallback.Upstream ?? host, fallback)
            : default;
    }
}
