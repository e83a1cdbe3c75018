namespace Slardar.Scriptable.Host.Routing;

/// <summary>The outcome of a host lookup.</summary>
/// <param name="Kind">Which rule matched; <see cref="RouteMatchKind.None"/> means no route.</param>
/// <param name="UpstreamName">The upstream to use; null when there is no route.</param>
/// <param name="Binding">The scripts.json entry that matched, if any.</param>
internal readonly record struct RouteMatch(RouteMatchKind Kind, string? UpstreamName, HostBinding? Binding)
{
    public bool Found => Kind != RouteMatchKind.None;
}
