namespace Slardar.Scriptable.Host.Consul;

/// <summary>What the KV mirror knows about its Consul, for <c>/status</c>.</summary>
/// <param name="Reachable">The last query (start-up read or watch) got an answer.</param>
/// <param name="StartedFromStore">Consul did not answer at start: the gateway started from its store.</param>
/// <param name="LastIndex">The <c>X-Consul-Index</c> of the last state applied (0 before the first).</param>
/// <param name="LastChangeSeenAt">When the watch last got a new index.</param>
/// <param name="LastAppliedAt">When the last new index finished applying.</param>
/// <param name="Lag">Time from seeing the last change to having applied it (still growing while it applies).</param>
/// <param name="LastError">Why the last query failed, until the next answer.</param>
/// <param name="Rejected">Values refused, with the reason; the last good version of each serves.</param>
internal sealed record ConsulKvStatus(
    bool Reachable,
    bool StartedFromStore,
    ulong LastIndex,
    DateTimeOffset? LastChangeSeenAt,
    DateTimeOffset? LastAppliedAt,
    TimeSpan? Lag,
    string? LastError,
    IReadOnlyList<ConsulKvRejection> Rejected);
