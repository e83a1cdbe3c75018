using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// An upstream as configured: ordered levels of peers plus the per-upstream retry options.
/// Immutable; the live counterpart is <see cref="UpstreamState"/>.
/// </summary>
internal sealed record UpstreamConfig
{
    public required string Name { get; init; }

    /// <summary>Level 2 is used only when no peer of level 1 is usable, and so on.</summary>
    public required ImmutableArray<UpstreamLevelConfig> Levels { get; init; }

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

    /// <summary>Connect timeout override (<c>timeout</c>).</summary>
    public TimeSpan? ConnectTimeout { get; init; }
}
