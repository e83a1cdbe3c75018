using System.Collections.Immutable;
using System.Globalization;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Host.Checkups.Outliers;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// An upstream as configured: ordered levels of peers plus the per-upstream retry options.
/// Immutable; the live counterpart is <see cref="UpstreamState"/>.
/// </summary>
internal sealed record UpstreamConfig
{
    public required string Name { get; init; }

    /// <summary>
    /// Level 2 is used only when no peer of level 1 is usable, and so on. Named levels (<c>cluster</c>
    /// given as an object) keep their declaration order; checkups' <c>pairs</c> left it unspecified.
    /// </summary>
    public required ImmutableArray<UpstreamLevelConfig> Levels { get; init; }

    /// <summary>
    /// <c>consul_service</c>: the peers are Consul's passing instances of this service, filled into
    /// <see cref="Levels"/> (one level) as they change; the definition itself has no servers.
    /// </summary>
    public string? ConsulService { get; init; }

    /// <summary>How a peer is picked inside a level (<c>mode</c>).</summary>
    public BalancingMode Mode { get; init; } = BalancingMode.RoundRobin;

    /// <summary>Outlier detection (<c>outlier</c>); on with defaults when absent.</summary>
    public OutlierOptions Outlier { get; init; } = OutlierOptions.Default;

    /// <summary>Whether <c>cluster</c> was an object of named levels (then every level has a name).</summary>
    public bool HasNamedLevels => !Levels.IsDefaultOrEmpty && Levels[0].Name is not null;

    /// <summary>Maximum tries per request (<c>try</c>); null lets the proxy choose.</summary>
    public int? Tries { get; init; }

    /// <summary>Time budget for trying the next upstream (<c>try_timeout</c>).</summary>
    public TimeSpan? TryTimeout { get; init; }

    /// <summary>When a failed try moves on to the next peer (<c>next_upstream</c>, nginx's proxy_next_upstream); null = gateway default.</summary>
    public NextUpstreamConditions? NextUpstream { get; init; }

    /// <summary>Slardar's <c>enable</c> (active health checks on/off); kept so stored entries round-trip.</summary>
    public bool Enable { get; init; } = true;

    /// <summary>How the peers are actively checked (<c>typ</c>, <c>http_opts</c>, <c>protected</c>, ...).</summary>
    public HeartbeatConfig Heartbeat { get; init; } = HeartbeatConfig.Default;

    /// <summary>TLS to the peers (<c>"scheme": "https"</c>, <c>sni</c>, <c>ca</c>, <c>verify</c>); null = plain HTTP.</summary>
    public UpstreamTlsConfig? Tls { get; init; }

    /// <summary>Requests go to the peers as HTTP/2 (<c>"http2": true</c>): h2 by ALPN with TLS, h2c prior knowledge without.</summary>
    public bool Http2 { get; init; }

    /// <summary>Connect timeout override (<c>timeout</c>).</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>
    /// The level a cluster key names, or -1: a level name (case-insensitive, as configuration keys
    /// are) when levels are named, else a 1-based index ("1" is the first level), as checkups'
    /// <c>cluster_key</c>. Allocation-free.
    /// </summary>
    public int IndexOfLevel(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (HasNamedLevels)
        {
            for (var i = 0; i < Levels.Length; i++)
            {
                if (string.Equals(Levels[i].Name, key, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }

        return int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index >= 1 && index <= Levels.Length
            ? index - 1
            : -1;
    }
}
