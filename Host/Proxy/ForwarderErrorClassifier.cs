using Slardar.Scriptable.Host.Upstreams;
using Yarp.ReverseProxy.Forwarder;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>Turns YARP's verdict on one try into the gateway's <see cref="TryFailure"/>; the rules about what a failure means are in <see cref="TryRules"/>.</summary>
internal static class ForwarderErrorClassifier
{
    public static TryFailure Classify(ForwarderError error, HttpContext context, ProxyExchange exchange, SendTimeoutWatch? sendWatch)
    {
        switch (error)
        {
            case ForwarderError.None:
                return exchange.Call.HeldBack || exchange.Call.IsFailureStatus(exchange.PeerStatus) ? TryFailure.Status : TryFailure.None;

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
