using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Probes;
using Slardar.Scriptable.Host.Streams.Loops;
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
    private readonly bool _eventLoops;
    private readonly int _bufferBytes;

    public StreamConnectTransport(TimeProvider time, StreamSettings settings)
    {
        _time = time;
        _inlineCompletions = settings.InlineCompletions;
        _eventLoops = settings.EventLoops && StreamEventLoops.IsSupported;
        _bufferBytes = settings.BufferBytes;
    }

    public ValueTask<TryResult> SendAsync(UpstreamCall call, StreamUpstreamConnection state, PeerState peer) =>
        _eventLoops && call.Upstream.Config.Tls is null && peer.EndPoint is IPEndPoint address
            ? ConnectOnLoopAsync(call, state, peer, address)
            : ConnectAsync(call, state, peer);

    // A plain connect on an event loop, which then relays the session (StreamLoopSession).
    private async ValueTask<TryResult> ConnectOnLoopAsync(UpstreamCall call, StreamUpstreamConnection state, PeerState peer, IPEndPoint address)
    {
        var socket = PeerEndPoint.NewSocket(address);
        socket.Blocking = false;
        if (!Begin(call, state, socket))
        {
            return Aborted();
        }

        var relay = new StreamLoopSession(StreamEventLoops.Next(), state.Session, state.Clock, socket, _bufferBytes);
        var error = await relay.ConnectAsync(address.Serialize()).ConfigureAwait(false);
        var timedOut = state.Clock.EndConnect();
        if (error != SocketError.Success)
        {
            return Failed(call, new SocketException((int)error), handshaking: false, timedOut);
        }

        if (timedOut)
        {
            relay.Abandon();
            return TimedOutAsItConnected(call, handshaking: false);
        }

        state.Connected(socket, tls: null, peer, relay);
        return Connected();
    }

    private async ValueTask<TryResult> ConnectAsync(UpstreamCall call, StreamUpstreamConnection state, PeerState peer)
    {
        var socket = PeerEndPoint.NewSocket(peer.EndPoint);
        if (_inlineCompletions && call.Upstream.Config.Tls is null)
        {
            SocketInlineCompletions.Prefer(socket);
        }

        if (!Begin(call, state, socket))
        {
            return Aborted();
        }

        SslStream? tls = null;
        var handshaking = false;
        try
        {
            await socket.ConnectAsync(peer.EndPoint).ConfigureAwait(false);
            if (call.Upstream.Config.Tls is { } settings)
            {
                handshaking = true;
                tls = await UpstreamTlsHandshake.AuthenticateAsync(new NetworkStream(socket, ownsSocket: false), settings, peer.Host, CancellationToken.None, alpn: false).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or AuthenticationException or ObjectDisposedException)
        {
            var timedOut = state.Clock.EndConnect();
            socket.Dispose();
            return Failed(call, ex, handshaking, timedOut);
        }

        if (state.Clock.EndConnect())
        {
            tls?.Dispose();
            socket.Dispose();
            return TimedOutAsItConnected(call, handshaking);
        }

        state.Connected(socket, tls, peer);
        return Connected();
    }

    // The session's abort shuts down the socket it holds, and its clock does when the connect timeout
    // runs out (no timed cancellation source or registration per connect); false (the socket closed)
    // when the session was aborted already.
    private static bool Begin(UpstreamCall call, StreamUpstreamConnection state, Socket socket)
    {
        if (!state.Session.Attach(socket))
        {
            socket.Dispose();
            return false;
        }

        state.Clock.BeginConnect(socket, call.Policy.ConnectTimeout);
        return true;
    }

    // Connected just as the timeout shut the socket down: a timed-out try all the same.
    private static TryResult TimedOutAsItConnected(UpstreamCall call, bool handshaking) =>
        Failed(call, new SocketException((int)SocketError.TimedOut), handshaking, timedOut: true);

    private TryResult Connected() => new(TryFailure.None, Status: StreamStatus.Ok, ResponseHeadersAt: _time.GetTimestamp());

    private static TryResult Failed(UpstreamCall call, Exception ex, bool handshaking, bool timedOut)
    {
        if (call.Aborted.IsCancellationRequested)
        {
            return Aborted();
        }

        // Checked before the exception type: a socket shut down by the timeout surfaces as a reset or an aborted operation.
        if (timedOut)
        {
            return new TryResult(TryFailure.ConnectTimeout, Status: StreamStatus.ConnectTimedOut,
                Reason: $"connect timed out after {call.Policy.ConnectTimeout.TotalMilliseconds:F0} ms");
        }

        return new TryResult(TryFailure.ConnectError, Status: StreamStatus.ConnectFailed, Reason: ReasonOf(ex, handshaking));
    }

    // The client left or the listener is closing: nothing to hold against the peer.
    private static TryResult Aborted() => new(TryFailure.Client, Status: StreamStatus.ConnectFailed, Reason: "session aborted while connecting");

    private static string ReasonOf(Exception ex, bool handshaking) => ex switch
    {
        _ when handshaking => "tls: " + ex.Message,
        SocketException socketError => "connect: " + SocketErrorText.Describe(socketError),
        _ => ex.Message,
    };
}
