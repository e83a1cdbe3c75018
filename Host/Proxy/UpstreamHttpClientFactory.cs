using System.Net;
using System.Net.Sockets;
using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// The one HTTP client all forwarding goes through: pooled keep-alive connections, no proxy, no
/// redirects, no decompression, no cookies. Connecting is done here so the connect timeout can be
/// set per upstream and a connect failure is recognisable as "nothing was sent".
/// </summary>
internal static class UpstreamHttpClientFactory
{
    public static readonly HttpRequestOptionsKey<TimeSpan> ConnectTimeoutOption = new("slardar.connect-timeout");

    /// <param name="maxConnectionsPerPeer">0 = no limit.</param>
    /// <param name="time">The clock of the connect timeout.</param>
    public static HttpMessageInvoker Create(TimeProvider time, TimeSpan defaultConnectTimeout, int maxConnectionsPerPeer = 0)
    {
        var handler = new SocketsHttpHandler
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
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, time, defaultConnectTimeout, cancellationToken),
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, TimeProvider time, TimeSpan defaultTimeout, CancellationToken cancellationToken)
    {
        var timeout = context.InitialRequestMessage.Options.TryGetValue(ConnectTimeoutOption, out var perUpstream) ? perUpstream : defaultTimeout;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timer = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var started = time.GetTimestamp();
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, deadline.Token);
            return new NetworkStream(socket, ownsSocket: true);
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
