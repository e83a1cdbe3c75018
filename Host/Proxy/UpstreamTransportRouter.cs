using System.Collections.Concurrent;
using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// Sends a request through the plain connection pool, or, when it carries an upstream's TLS settings
/// (<see cref="UpstreamHttpClientFactory.TlsOption"/>), through a pool of its own for exactly those
/// settings: a connection made under <c>"verify": false</c> or another SNI is never reused by an
/// upstream that verifies, even when both name the same host:port.
/// </summary>
internal sealed class UpstreamTransportRouter : HttpMessageHandler
{
    private readonly HttpMessageInvoker _plain;
    private readonly Func<UpstreamTlsConfig, HttpMessageHandler> _createTls;
    private readonly ConcurrentDictionary<UpstreamTlsConfig, Lazy<HttpMessageInvoker>> _tls = new();

    public UpstreamTransportRouter(HttpMessageHandler plain, Func<UpstreamTlsConfig, HttpMessageHandler> createTls)
    {
        _plain = new HttpMessageInvoker(plain, disposeHandler: true);
        _createTls = createTls;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(UpstreamHttpClientFactory.TlsOption, out var tls) || tls is null)
        {
            return _plain.SendAsync(request, cancellationToken);
        }

        if (request.Version.Major == 2 && request.RequestUri is { Scheme: "http" } uri)
        {
            // HTTP/2 sends the scheme (:scheme) and peers such as Kestrel refuse "http" over TLS. As
            // https the handler still uses the connect callback's SslStream as it is (our SNI and checks).
            request.RequestUri = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttps, Port = uri.Port }.Uri;
        }

        var pool = _tls.GetOrAdd(tls, settings => new Lazy<HttpMessageInvoker>(() => new HttpMessageInvoker(_createTls(settings), disposeHandler: true)));
        return pool.Value.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _plain.Dispose();
            foreach (var pool in _tls.Values.Where(p => p.IsValueCreated))
            {
                pool.Value.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
