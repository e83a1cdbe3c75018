namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// What a watch knows, for <c>/status</c>. Immutable: the watch publishes a new one after each query.
/// </summary>
/// <param name="Reachable">The last query got an answer.</param>
/// <param name="LastIndex">The <c>X-Consul-Index</c> of the last answer (0 before the first).</param>
/// <param name="LastChangeAt">When a result with a new index was last reported.</param>
/// <param name="LastAnswerAt">When Consul last answered at all.</param>
/// <param name="LastError">The last failure's message, until the next answer.</param>
/// <param name="ConsecutiveFailures">Failures since the last answer.</param>
internal sealed record ConsulWatchStatus(
    bool Reachable,
    ulong LastIndex,
    DateTimeOffset? LastChangeAt,
    DateTimeOffset? LastAnswerAt,
    string? LastError,
    int ConsecutiveFailures)
{
    public static ConsulWatchStatus Initial { get; } = new(false, 0, null, null, null, 0);
}
