namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>Outcome of one active health check; the values are lua-resty-checkups' STATUS_* codes.</summary>
internal enum PeerHealthStatus
{
    /// <summary>The peer answered as expected.</summary>
    Ok = 0,

    /// <summary>The peer answers but is degraded (a replica that lost its master); still selectable.</summary>
    Unstable = 1,

    /// <summary>The peer failed the check.</summary>
    Err = 2,
}
