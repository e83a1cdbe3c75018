using Microsoft.AspNetCore.Http.Features;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Proxy.Fast;
using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// Picks the transport for one proxied request: the fast HTTP/1.1 path when <c>Proxy:Forwarder</c>
/// is <c>fast</c> and the request is plain HTTP to a plain-HTTP upstream; YARP for upgrades
/// (WebSockets), extended CONNECT, TLS and <c>"http2"</c> upstreams, and everything when the option
/// says <c>yarp</c>.
/// </summary>
internal sealed class ProxyTransports
{
    private readonly FastTransport _fast;
    private readonly YarpTransport _yarp;
    private readonly bool _fastEnabled;

    public ProxyTransports(FastTransport fast, YarpTransport yarp, ProxyOptions options)
    {
        _fast = fast;
        _yarp = yarp;
        _fastEnabled = options.Forwarder == ForwarderKind.Fast;
    }

    public ITryTransport<ProxyExchange> For(HttpContext context, UpstreamConfig upstream) =>
        _fastEnabled && FastCanServe(context, upstream) ? _fast : _yarp;

    private static bool FastCanServe(HttpContext context, UpstreamConfig upstream)
    {
        if (upstream.Tls is not null || upstream.Http2 || HttpMethods.IsConnect(context.Request.Method))
        {
            return false;
        }

        var features = context.Features;
        return features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true }
            && features.Get<IHttpExtendedConnectFeature>() is not { IsExtendedConnect: true };
    }
}
