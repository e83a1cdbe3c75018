using System.Net;
using System.Runtime.CompilerServices;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Upstreams;
using Yarp.ReverseProxy.Forwarder;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// The HTTP proxy's transport: one try is one <see cref="IHttpForwarder.SendAsync(HttpContext, string, HttpMessageInvoker, ForwarderRequestConfig, HttpTransformer, CancellationToken)"/>
/// to the peer, with the request body replayable and watched for send stalls. One per gateway.
/// </summary>
internal sealed class YarpTransport : ITryTransport<ProxyExchange>
{
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _client;
    private readonly TimeSpan _sendTimeout;
    private readonly TimeProvider _time;
    private readonly ForwarderRequestConfig _requestConfig;
    private readonly ForwarderRequestConfig _http2RequestConfig;
    private readonly ProxyTransformer _transformer;

    public YarpTransport(IHttpForwarder forwarder, HttpMessageInvoker client, ProxyOptions options, TimeProvider time)
    {
        _forwarder = forwarder;
        _client = client;
        _sendTimeout = options.SendTimeout;
        _time = time;
        _transformer = new ProxyTransformer(time);
        _requestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = options.ReadTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };

        // "http2": true: exactly HTTP/2 (h2 by ALPN in the connect callback, or h2c prior knowledge), never a silent downgrade.
        _http2RequestConfig = _requestConfig with { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TryResult> SendAsync(UpstreamCall call, ProxyExchange exchange, PeerState peer)
    {
        var context = exchange.Context;
        if (call.Attempts > 1)
        {
            // What the previous try left (a held-back answer's headers, YARP's error) is not this try's.
            context.Response.Clear();
            context.Features.Set<IForwarderErrorFeature?>(null);
        }

        exchange.BeginTry();
        using var sendWatch = exchange.Body is null ? null : new SendTimeoutWatch(_sendTimeout, _time);
        if (exchange.Body is not null)
        {
            exchange.Body.Observer = sendWatch;
        }

        var error = await _forwarder.SendAsync(context, peer.DestinationPrefix, _client, call.Upstream.Config.Http2 ? _http2RequestConfig : _requestConfig, _transformer, sendWatch?.Token ?? CancellationToken.None);
        var failure = ForwarderErrorClassifier.Classify(error, context, exchange, sendWatch);
        var peerStatus = exchange.PeerStatus;
        var status = peerStatus != 0 && failure is TryFailure.None or TryFailure.Status
            ? peerStatus
            // YARP answers a stalled body write with 502; a timeout is logged as 504, as nginx and the fast path do.
            : failure is TryFailure.Timeout or TryFailure.ConnectTimeout && !context.Response.HasStarted ? TryRules.GatewayStatusOf(failure) : context.Response.StatusCode;
        var reason = failure is TryFailure.None or TryFailure.Status ? null : context.GetForwarderErrorFeature()?.Exception?.GetBaseException().Message;
        return new TryResult(failure, peerStatus, status, exchange.ResponseHeadersAt, context.Response.HasStarted, reason);
    }
}
