using Slardar.Scriptable.Host.Checkups;
using Yarp.ReverseProxy.Forwarder;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>Turns the forwarder's verdict on one try into what the retry loop and passive health need.</summary>
internal static class TryClassifier
{
    public static TryFailure Classify(ForwarderError error, HttpContext context, ProxyExchange exchange, SendTimeoutWatch? sendWatch)
    {
        switch (error)
        {
            case ForwarderError.None:
                return exchange.HeldBack || IsFailureStatus(exchange) ? TryFailure.Status : TryFailure.None;

            case ForwarderError.RequestTimedOut:
                return TryFailure.Timeout;

            case ForwarderError.RequestCanceled:
            case ForwarderError.RequestBodyCanceled:
                return context.RequestAborted.IsCancellationRequested || sendWatch is not { Fired: true }
                    ? TryFailure.Client
                    : TryFailure.Timeout;

            case ForwarderError.Request:
            case ForwarderError.RequestCreation:
                return FindConnectFailure(context.GetForwarderErrorFeature()?.Exception) switch
                {
                    { TimedOut: true } => TryFailure.ConnectTimeout,
                    not null => TryFailure.ConnectError,
                    null => TryFailure.Error,
                };

            case ForwarderError.RequestBodyClient:
            case ForwarderError.ResponseBodyClient:
            case ForwarderError.UpgradeRequestClient:
            case ForwarderError.UpgradeResponseClient:
                return TryFailure.Client;

            case ForwarderError.RequestBodyDestination:
                return sendWatch is { Fired: true } ? TryFailure.Timeout : TryFailure.Error;

            default:
                return context.Response.HasStarted ? TryFailure.AfterResponseStarted : TryFailure.Error;
        }
    }

    /// <summary>Whether the peer is to blame, for passive health.</summary>
    public static bool CountsAgainstPeer(TryFailure failure, ProxyExchange exchange) => failure switch
    {
        TryFailure.None or TryFailure.Client => false,
        // nginx treats http_403/http_404 as "next", not as a failure of the peer.
        TryFailure.Status => exchange.PeerStatus is not (403 or 404),
        _ => true,
    };

    /// <summary>The retry condition a failed try matches.</summary>
    public static NextUpstreamConditions ConditionOf(TryFailure failure, int peerStatus) => failure switch
    {
        TryFailure.ConnectError or TryFailure.Error => NextUpstreamConditions.Error,
        TryFailure.ConnectTimeout or TryFailure.Timeout => NextUpstreamConditions.Timeout,
        TryFailure.Status => NextUpstreamParser.ForStatus(peerStatus),
        _ => NextUpstreamConditions.Off,
    };

    private static bool IsFailureStatus(ProxyExchange exchange) =>
        exchange.Policy.Allows(NextUpstreamParser.ForStatus(exchange.PeerStatus));

    private static UpstreamConnectException? FindConnectFailure(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is UpstreamConnectException connect)
            {
                return connect;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (FindConnectFailure(inner) is { } found)
                    {
                        return found;
                    }
                }
            }
        }

        return null;
    }
}
