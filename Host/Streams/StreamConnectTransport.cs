using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Probes;
using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// The stream proxy's transport for the try engine: one try is one TCP connect to a peer, and for an
/// upstream with <c>"scheme": "https"</c> the TLS handshake too (the one HTTP forwarding and health
/// checks use: its <c>sni</c>, <c>ca</c>, <c>verify</c>), both bounded by the upstream's connect
/// timeout. Nothing of the client's is sent during a try, so every failed try (a refused connect, a
/// certificate not accepted) may move on to the next peer; bytes flow only after the call has ended
/// with a connection.
/// </summary>
internal sealed class StreamConnectTransport : ITryTransport<StreamUpstreamConnection>
{
    private readonly TimeProvider _time;
    private readonly bool _inlineCompletions;

    public StreamConnectTransport(TimeProvider time, bool inlineCompletions)
    {
        _time = time;
        _inlineCompletions = inlineCompletions;
    }

    public async ValueTask<TryResult> SendAsync(UpstreamCall call, StreamUpstreamConnection state, PeerState peer)
    {
        var socket = PeerEndPoint.NewSocket(peer.EndPoint);
        if (_inlineCompletions && call.Upstream.Config.Tls is null)
        {
            SocketInlineCompletions.Prefer(socket);
        }

        SslStream? tls = null;
        var handshaking = false;
        // One source for the connect timeout and the session's abort (a registration costs less than a
        // linked source); which of the two fired is told apart by the abort token below.
        using var deadline = new CancellationTokenSource(call.Policy.ConnectTimeout, _time);
        using var aborting = call.Aborted.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), deadline);
        try
        {
            await socket.ConnectAsync(peer.EndPoint, deadline.Token).ConfigureAwait(false);
            if (call.Upstream.Config.Tls is { } settings)
            {
                handshaking = true;
                tls = await UpstreamTlsHandshake.AuthenticateAsync(new NetworkStream(socket, ownsSocket: false), settings, peer.Host, deadline.Token, alpn: false).ConfigureAwait(false);
            }

            state.Connected(socket, tls, peer);
            return new TryResult(TryFailure.None, Status: StreamStatus.Ok, ResponseHeadersAt: _time.GetTimestamp());
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or AuthenticationException)
        {
            socket.Dispose();
            if (call.Aborted.IsCancellationRequested)
            {
                // The client left or the listener is closing: nothing to hold against the peer.
                return new TryResult(TryFailure.Client, Status: StreamStatus.ConnectFailed, Reason: "session aborted while connecting");
            }

            // Checked before the exception type: a socket torn down by the deadline may surface as an aborted operation.
            if (deadline.IsCancellationRequested)
            {
                return new TryResult(TryFailure.ConnectTimeout, Status: StreamStatus.ConnectTimedOut,
                    Reason: $"connect timed out after {call.Policy.ConnectTimeout.TotalMilliseconds:F0} ms");
            }

            return new TryResult(TryFailure.ConnectError, Status: StreamStatus.ConnectFailed, Reason: ReasonOf(ex, handshaking));
        }
    }

    private static string ReasonOf(Exception ex, bool handshaking) => ex switch
    {
        _ when handshaking => "tls: " + ex.Message,
        SocketException socketError => "connect: " + SocketErrorText.Describe(socketError),
        _ => ex.Message,
    };
}
