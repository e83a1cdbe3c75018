using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// Per-request header work for the forwarder: keeps the client's Host, appends the client address
/// to X-Forwarded-For, sets X-Forwarded-Proto, drops the headers a <c>Connection</c> header names (both ways), and holds
/// back a response whose status is a retry condition while another try is still possible, so its
/// body never reaches the client and the next peer can answer instead. A failed status that does
/// go to the client is recorded against the peer first, as nginx does. One per gateway: the request's
/// <see cref="ProxyExchange"/> is one of its features.
/// </summary>
internal sealed class ProxyTransformer : HttpTransformer
{
    private const string ForwardedForHeader = ForwardingHeaderRules.ForwardedForHeader;
    private const string ForwardedProtoHeader = ForwardingHeaderRules.ForwardedProtoHeader;

    private readonly TimeProvider _time;

    public ProxyTransformer(TimeProvider time)
    {
        _time = time;
    }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        RemoveConnectionOptions(ConnectionHeaderCapture.Effective(httpContext.Request.Headers.Connection), proxyRequest.Headers, proxyRequest.Content?.Headers);

        proxyRequest.Headers.Host = httpContext.Request.Host.Value;

        var exchange = ExchangeOf(httpContext);
        var clientIp = exchange.ClientIp;
        if (clientIp is not null)
        {
            var existing = httpContext.Request.Headers[ForwardedForHeader].ToString();
            proxyRequest.Headers.Remove(ForwardedForHeader);
            proxyRequest.Headers.TryAddWithoutValidation(ForwardedForHeader, ForwardingHeaderRules.ForwardedFor(existing, clientIp));
        }

        // The scheme the client used at this gateway (https on a TLS listener); a client's own value is replaced.
        proxyRequest.Headers.Remove(ForwardedProtoHeader);
        proxyRequest.Headers.TryAddWithoutValidation(ForwardedProtoHeader, httpContext.Request.Scheme);

        proxyRequest.Options.Set(UpstreamHttpClientFactory.ConnectTimeoutOption, exchange.Call.Policy.ConnectTimeout);
        if (exchange.Call.Upstream.Config.Tls is { } tls)
        {
            proxyRequest.Options.Set(UpstreamHttpClientFactory.TlsOption, tls);
        }
    }

    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is not null)
        {
            var exchange = ExchangeOf(httpContext);
            var status = (int)proxyResponse.StatusCode;
            exchange.ResponseHeaders(status, _time.GetTimestamp());
            if (exchange.Call.ShouldHoldBack(status))
            {
                return new ValueTask<bool>(false);
            }

            // Before a byte reaches the client, so its next request already avoids this peer.
            exchange.Call.ReportFailedStatusEarly(status);
        }

        return TransformKeptResponseAsync(httpContext, proxyResponse, cancellationToken);
    }

    private async ValueTask<bool> TransformKeptResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is not null)
        {
            foreach (var name in proxyResponse.Headers.Connection)
            {
                if (ForwardingHeaderRules.IsRemovableOption(name))
                {
                    httpContext.Response.Headers.Remove(name);
                }
            }
        }

        return copy;
    }

    private static ProxyExchange ExchangeOf(HttpContext context) =>
        context.Features.Get<ProxyExchange>() ?? throw new InvalidOperationException("The request has no ProxyExchange feature.");

    /// <summary>
    /// RFC 9110 §7.6.1: a header the sender names in <c>Connection</c> is for this hop only. YARP
    /// drops the standard hop-by-hop set but forwards the others a client names, e.g. the
    /// <c>X-Secret</c> of <c>Connection: X-Secret</c> (rules and Kestrel's caveat: <see cref="ForwardingHeaderRules"/>).
    /// </summary>
    private static void RemoveConnectionOptions(StringValues connection, HttpHeaders headers, HttpHeaders? contentHeaders)
    {
        foreach (var value in connection)
        {
            foreach (var range in value.AsSpan().Split(','))
            {
                var name = value.AsSpan()[range].Trim();
                if (ForwardingHeaderRules.IsRemovableOption(name))
                {
                    var text = name.ToString();
                    headers.Remove(text);
                    contentHeaders?.Remove(text);
                }
            }
        }
    }
}
