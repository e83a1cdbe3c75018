using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>One immutable reading of a peer's active health, swapped whole so readers never see half an update.</summary>
/// <param name="FailNum">Consecutive failed checks (checkups' fail_num).</param>
/// <param name="Successes">Consecutive passed checks, for <c>rise</c>.</param>
/// <param name="LastModified">When the status last changed; null before the first check.</param>
/// <param name="Message">The last check's error, e.g. "connection refused"; null when it passed.</param>
/// <param name="Extra">Fields the check adds to /status (redis replication, versions).</param>
internal sealed record ActiveHealthSnapshot(
    ActiveStatus Status,
    int FailNum,
    int Successes,
    DateTimeOffset? LastModified,
    string? Message,
    ImmutableDictionary<string, object?> Extra)
{
    public static ActiveHealthSnapshot Initial { get; } = new(ActiveStatus.Ok, 0, 0, null, null, ImmutableDictionary<string, object?>.Empty);

    public static ActiveHealthSnapshot Unchecked { get; } = Initial with { Status = ActiveStatus.Unchecked };
}
