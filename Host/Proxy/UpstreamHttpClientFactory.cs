using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// The one HTTP client all forwarding goes through: pooled keep-alive connections, no proxy, no
/// redirects, no decompression, no cookies. Connecting is done here so the connect timeout can be
/// set per upstream and a connect failure is recognisable as "nothing was sent". TLS to an upstream
/// (<see cref="TlsOption"/>) is done here too, inside the connect timeout, so SNI and certificate
/// checks follow the upstream's settings; the request itself stays http:// to the handler.
/// </summary>
internal static class UpstreamHttpClientFactory
{
    public static readonly HttpRequestOptionsKey<TimeSpan> ConnectTimeoutOption = new("slardar.connect-timeout");

    /// <summary>The upstream's TLS settings; absent for plain HTTP upstreams.</summary>
    public static readonly HttpRequestOptionsKey<UpstreamTlsConfig?> TlsOption = new("slardar.upstream-tls");

    /// <param name="maxConnectionsPerPeer">0 = no limit.</param>
    /// <param name="time">The clock of the connect timeout.</param>
    public static HttpMessageInvoker Create(TimeProvider time, TimeSpan defaultConnectTimeout, int maxConnectionsPerPeer = 0) => new(
        new UpstreamTransportRouter(
            CreateHandler(time, defaultConnectTimeout, maxConnectionsPerPeer, tls: null),
            tls => CreateHandler(time, defaultConnectTimeout, maxConnectionsPerPeer, tls)),
        disposeHandler: true);

    private static SocketsHttpHandler CreateHandler(TimeProvider time, TimeSpan defaultConnectTimeout, int maxConnectionsPerPeer, UpstreamTlsConfig? tls)
    {
        return new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ActivityHeadersPropagator = null,
            MaxConnectionsPerServer = maxConnectionsPerPeer > 0 ? maxConnectionsPerPeer : int.MaxValue,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, time, defaultConnectTimeout, tls, cancellationToken),
        };
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, TimeProvider time, TimeSpan defaultTimeout, UpstreamTlsConfig? tls, CancellationToken cancellationToken)
    {
        var timeout = context.InitialRequestMessage.Options.TryGetValue(ConnectTimeoutOption, out var perUpstream) ? perUpstream : defaultTimeout;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timer = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var started = time.GetTimestamp();
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, deadline.Token);
            var stream = new NetworkStream(socket, ownsSocket: true);
            // A connection is made for the request that needs it: HTTP/2 ones (upstreams with "http2") get h2 by ALPN.
            var http2 = context.InitialRequestMessage.Version.Major == 2;
            return tls is null ? stream : await UpstreamTlsHandshake.AuthenticateAsync(stream, tls, context.DnsEndPoint.Host, deadline.Token, http2);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException && !cancellationToken.IsCancellationRequested && !deadline.IsCancellationRequested)
        {
            // A refused certificate or a failed handshake: nothing was sent, so it is a connect failure.
            socket.Dispose();
            throw new UpstreamConnectException($"TLS to {context.DnsEndPoint.Host}:{context.DnsEndPoint.Port} failed: {ex.Message}", timedOut: false, ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new UpstreamConnectException(
                $"connect to {context.DnsEndPoint.Host}:{context.DnsEndPoint.Port} timed out after {time.GetElapsedTime(started).TotalMilliseconds:F0} ms",
                timedOut: true);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new UpstreamConnectException($"connect to {context.DnsEndPoint.Host}:{context.DnsEndPoint.Port} failed: {ex.SocketErrorCode}", timedOut: false, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
