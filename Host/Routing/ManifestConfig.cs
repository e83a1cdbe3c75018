using System.Collections.Immutable;
using Slardar.Scriptable.Host.Services.Caching;
using Slardar.Scriptable.Host.Services.Limits;

namespace Slardar.Scriptable.Host.Routing;

/// <summary>The parsed, validated content of scripts.json.</summary>
internal sealed record ManifestConfig(ImmutableArray<HostBinding> Hosts)
{
    public static ManifestConfig Empty { get; } = new(ImmutableArray<HostBinding>.Empty);

    /// <summary>Declared caches (<c>"caches"</c>) by name.</summary>
    public ImmutableDictionary<string, CacheOptions> Caches { get; init; } = ImmutableDictionary<string, CacheOptions>.Empty;

    /// <summary>Named rate limits (<c>"limits"</c>) by name.</summary>
    public ImmutableDictionary<string, LimitConfig> Limits { get; init; } = ImmutableDictionary<string, LimitConfig>.Empty;

    /// <summary>TCP listeners (<c>"streams"</c>), in file order.</summary>
    public ImmutableArray<Streams.StreamListenerConfig> Streams { get; init; } = ImmutableArray<Streams.StreamListenerConfig>.Empty;

    /// <summary>Certificates read from PEM files (<c>"certificates"</c>), in file order.</summary>
    public ImmutableArray<Certificates.CertificateFileConfig> Certificates { get; init; } = ImmutableArray<Certificates.CertificateFileConfig>.Empty;
}
