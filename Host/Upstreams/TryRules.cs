using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Observability.Metrics;

namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>What a failed try means, whoever sent it: for passive health, for the retry decision and for metrics.</summary>
internal static class TryRules
{
    /// <summary>Whether the peer is to blame, for passive health.</summary>
    public static bool CountsAgainstPeer(TryFailure failure, int peerStatus) => failure switch
    {
        TryFailure.None or TryFailure.Client => false,
        // nginx treats http_403/http_404 as "next", not as a failure of the peer.
        TryFailure.Status => peerStatus is not (403 or 404),
        _ => true,
    };

    /// <summary>The next_upstream condition a failed try matches; <see cref="NextUpstreamConditions.Off"/> when none can.</summary>
    public static NextUpstreamConditions ConditionOf(TryFailure failure, int peerStatus) => failure switch
    {
        TryFailure.ConnectError or TryFailure.Error => NextUpstreamConditions.Error,
        TryFailure.ConnectTimeout or TryFailure.Timeout => NextUpstreamConditions.Timeout,
        TryFailure.Status => NextUpstreamParser.ForStatus(peerStatus),
        _ => NextUpstreamConditions.Off,
    };

    /// <summary>Nothing of the request reached the peer: resending is safe whatever the method.</summary>
    public static bool NothingSent(TryFailure failure) => failure is TryFailure.ConnectError or TryFailure.ConnectTimeout;

    /// <summary>The try's result is final: another try cannot or need not follow.</summary>
    public static bool IsFinal(TryFailure failure, bool heldBack) =>
        failure is TryFailure.None or TryFailure.Client or TryFailure.AfterResponseStarted
        || (failure == TryFailure.Status && !heldBack);

    /// <summary>The failure an exception thrown by a try's own code (a script's callback, a content call) stands for.</summary>
    public static TryFailure FailureOf(Exception exception) => exception switch
    {
        UpstreamUnavailableException { NothingSent: true, TimedOut: true } => TryFailure.ConnectTimeout,
        UpstreamUnavailableException { NothingSent: true } => TryFailure.ConnectError,
        UpstreamUnavailableException { TimedOut: true } or TimeoutException => TryFailure.Timeout,
        _ => TryFailure.Error,
    };

    /// <summary>The status recorded for a try that got no status from its peer: 504 for a timeout, else 502 (as nginx logs them).</summary>
    public static int GatewayStatusOf(TryFailure failure) => failure is TryFailure.Timeout or TryFailure.ConnectTimeout ? 504 : 502;

    /// <summary>The metrics label of a try (<see cref="TryOutcome"/>).</summary>
    public static string OutcomeOf(TryFailure failure) => failure switch
    {
        TryFailure.None => TryOutcome.Ok,
        TryFailure.Timeout or TryFailure.ConnectTimeout => TryOutcome.Timeout,
        TryFailure.Status => TryOutcome.Status,
        TryFailure.Client => TryOutcome.Client,
        _ => TryOutcome.Error,
    };
}
