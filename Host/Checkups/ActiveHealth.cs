using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// Active health of one (upstream, host:port), shared across config generations like
/// <see cref="PeerHealth"/>. Written by the heartbeat scheduler only (one writer); read lock-free.
/// </summary>
internal sealed class ActiveHealth
{
    private volatile ActiveHealthSnapshot _current = ActiveHealthSnapshot.Initial;

    public ActiveHealthSnapshot Current => _current;

    /// <summary>Err peers are not selected; everything else is.</summary>
    public bool IsUsable => _current.Status != ActiveStatus.Err;

    /// <summary>
    /// Records one check, checkups style: a failure counts towards <paramref name="sensibility"/>
    /// before the status changes; a pass resets the count, and an err peer needs <paramref name="rise"/>
    /// passes in a row before it is ok again.
    /// </summary>
    public void Record(ActiveStatus observed, string? message, ImmutableDictionary<string, object?>? extra, int sensibility, int rise, DateTimeOffset now)
    {
        var previous = _current.Status == ActiveStatus.Unchecked ? ActiveHealthSnapshot.Initial : _current;
        var merged = extra is null ? previous.Extra : previous.Extra.SetItems(extra);
        ActiveHealthSnapshot next;
        if (observed == ActiveStatus.Ok)
        {
            var successes = previous.Successes + 1;
            var recovers = previous.Status != ActiveStatus.Ok && (previous.Status != ActiveStatus.Err || successes >= rise);
            next = previous with
            {
                Status = recovers ? ActiveStatus.Ok : previous.Status,
                FailNum = 0,
                Successes = successes,
                LastModified = recovers || previous.LastModified is null ? now : previous.LastModified,
                Message = recovers || previous.Status == ActiveStatus.Ok ? null : previous.Message,
                Extra = merged,
            };
        }
        else
        {
            var failNum = previous.FailNum + 1;
            var flips = failNum >= sensibility && previous.Status != observed;
            next = previous with
            {
                Status = flips ? observed : previous.Status,
                FailNum = failNum,
                Successes = 0,
                LastModified = flips || previous.LastModified is null ? now : previous.LastModified,
                Message = message,
                Extra = merged,
            };
        }

        _current = next;
    }

    /// <summary>Active checks were turned off for the upstream.</summary>
    public void MarkUnchecked() => _current = ActiveHealthSnapshot.Unchecked;
}
