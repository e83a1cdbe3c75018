using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Routing;

/// <summary>The parsed, validated content of scripts.json.</summary>
internal sealed record ManifestConfig(ImmutableArray<HostBinding> Hosts)
{
    public static ManifestConfig Empty { get; } = new(ImmutableArray<HostBinding>.Empty);
}
