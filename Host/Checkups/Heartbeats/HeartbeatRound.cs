using System.Collections.Immutable;
using Slardar.Scriptable.Host.Checkups.Probes;

namespace Slardar.Scriptable.Host.Checkups.Heartbeats;

/// <summary>
/// checkups' per-upstream rule for one round of results (heartbeat.lua): when any peer passed,
/// unstable peers count as err; when none passed and every peer failed outright, a protected
/// upstream keeps its first peer usable as unstable, so it never has nothing to send to.
/// </summary>
internal static class HeartbeatRound
{
    public static (ActiveStatus Status, string? Message, ImmutableDictionary<string, object?>? Extra)[] Apply(
        IReadOnlyList<ProbeResult> results, bool isProtected)
    {
        var observations = new (ActiveStatus, string?, ImmutableDictionary<string, object?>?)[results.Count];
        var anyOk = false;
        var allErr = true;
        for (var i = 0; i < results.Count; i++)
        {
            anyOk |= results[i].Status == PeerHealthStatus.Ok;
            allErr &= results[i].Status == PeerHealthStatus.Err;
        }

        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            var status = result.Status switch
            {
                PeerHealthStatus.Ok => ActiveStatus.Ok,
                PeerHealthStatus.Unstable when anyOk => ActiveStatus.Err,
                PeerHealthStatus.Unstable => ActiveStatus.Unstable,
                _ => ActiveStatus.Err,
            };
            if (i == 0 && allErr && isProtected && results.Count > 0)
            {
                status = ActiveStatus.Unstable;
            }

            var extra = result.Extra is null ? null : result.Extra.ToImmutableDictionary();
            observations[i] = (status, result.Message, extra);
        }

        return observations;
    }
}
