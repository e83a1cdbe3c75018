namespace Slardar.Scriptable.Host.Checkups;

/// <summary>A peer's status from active health checks, as checkups reports it in /status.</summary>
internal enum ActiveStatus
{
    /// <summary>Not checked yet, or checked and fine.</summary>
    Ok,

    /// <summary>Degraded but usable (a redis replica whose master link is down; the protected last peer).</summary>
    Unstable,

    /// <summary>Failing its checks: not selected.</summary>
    Err,

    /// <summary>Active checks are off for the upstream (<c>"enable": false</c>).</summary>
    Unchecked,
}
