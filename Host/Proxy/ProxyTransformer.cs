using Slardar.Scriptable.Host.Checkups;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// Per-request header work for the forwarder: keeps the client's Host, appends the client address
/// to X-Forwarded-For, and holds back a response whose status is a retry condition while another
/// try is still possible, so its body never reaches the client and the next peer can answer instead.
/// </summary>
internal sealed class ProxyTransformer : HttpTransformer
{
    private const string ForwardedForHeader = "X-Forwarded-For";

    private readonly ProxyExchange _exchange;

    public ProxyTransformer(ProxyExchange exchange)
    {
        _exchange = exchange;
    }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        proxyRequest.Headers.Host = httpContext.Request.Host.Value;

        var clientIp = httpContext.Connection.RemoteIpAddress?.ToString();
        if (clientIp is not null)
        {
            var existing = httpContext.Request.Headers[ForwardedForHeader].ToString();
            proxyRequest.Headers.Remove(ForwardedForHeader);
            proxyRequest.Headers.TryAddWithoutValidation(ForwardedForHeader, existing.Length == 0 ? clientIp : $"{existing}, {clientIp}");
        }

        proxyRequest.Options.Set(UpstreamHttpClientFactory.ConnectTimeoutOption, _exchange.Policy.ConnectTimeout);
    }

    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is not null)
        {
            _exchange.MarkResponseHeaders();
            var status = (int)proxyResponse.StatusCode;
            _exchange.PeerStatus = status;
            if (_exchange.ShouldHoldBack(status))
            {
                _exchange.HeldBack = true;
                return new ValueTask<bool>(false);
            }
        }

        return base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
    }
}
