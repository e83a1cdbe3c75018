using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>
/// The part every probe shares: connect, run the exchange, and turn whatever the peer did wrong into
/// an Err result, all under one deadline of <see cref="ProbeSettings.Timeout"/>. For an upstream with
/// <c>"scheme": "https"</c> the TLS handshake (with the upstream's SNI and certificate checks) comes
/// first: a <c>general</c> check then means "accepts TLS with a valid certificate".
/// </summary>
internal static class ProbeConnection
{
    public const string TimeoutMessage = "timeout";

    /// <param name="exchange">Talks to the connected peer; given a token that fires at the deadline.</param>
    /// <param name="connectOnly">The exchange sends nothing: over TLS the handshake then offers what traffic would (h2 for <see cref="ProbeSettings.Http2"/>).</param>
    public static async Task<ProbeResult> RunAsync(
        string host,
        int port,
        ProbeSettings settings,
        Func<Stream, CancellationToken, Task<ProbeResult>> exchange,
        CancellationToken ct,
        bool connectOnly = false)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(exchange);

        // One budget for connect and I/O together, like checkups' single sock:settimeout per heartbeat,
        // so a peer that trickles bytes cannot stretch a check past the timeout.
        using var timer = new CancellationTokenSource(settings.Timeout, settings.Time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);

        var endPoint = PeerEndPoint.For(host, port);
        using var socket = PeerEndPoint.NewSocket(endPoint);
        try
        {
            await socket.ConnectAsync(endPoint, deadline.Token);
            await using Stream stream = settings.Tls is { } tls
                ? await UpstreamTlsHandshake.AuthenticateAsync(new NetworkStream(socket, ownsSocket: false), tls, host, deadline.Token, http2: connectOnly && settings.Http2)
                : new NetworkStream(socket, ownsSocket: false);
            return await exchange(stream, deadline.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ProbeFailureException or AuthenticationException)
        {
            // The caller giving up is not the peer's fault: report it as cancellation, not as Err.
            ct.ThrowIfCancellationRequested();

            // Checked before the exception type: a socket torn down by the deadline may surface as an
            // aborted operation rather than as a cancellation.
            if (deadline.IsCancellationRequested)
            {
                return ProbeResult.Err(TimeoutMessage);
            }

            return ProbeResult.Err(ex switch
            {
                SocketException socketError => SocketErrorText.Describe(socketError),
                AuthenticationException => "tls: " + ex.Message,
                _ => ex.Message,
            });
        }
    }
}
