using System.Net;
using System.Net.Sockets;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Probes;
using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// The stream proxy's transport for the try engine: one try is one TCP connect to a peer, bounded by
/// the upstream's connect timeout. Nothing is sent during a try, so every failed try may move on to
/// the next peer; bytes flow only after the call has ended with a connected socket.
/// </summary>
internal sealed class StreamConnectTransport : ITryTransport<StreamUpstreamConnection>
{
    private readonly TimeProvider _time;

    public StreamConnectTransport(TimeProvider time) => _time = time;

    public async ValueTask<TryResult> SendAsync(UpstreamCall call, StreamUpstreamConnection state, PeerState peer)
    {
        // Dual-mode when the OS has IPv6, so IPv4 and IPv6 literals and names resolving to either work.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timer = new CancellationTokenSource(call.Policy.ConnectTimeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(call.Aborted, timer.Token);
        try
        {
            await socket.ConnectAsync(EndPointFor(peer.Host, peer.Port), deadline.Token).ConfigureAwait(false);
            state.Connected(socket, peer);
            return new TryResult(TryFailure.None, Status: StreamStatus.Ok, ResponseHeadersAt: _time.GetTimestamp());
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException)
        {
            socket.Dispose();
            if (call.Aborted.IsCancellationRequested)
            {
                // The client left or the listener is closing: nothing to hold against the peer.
                return new TryResult(TryFailure.Client, Status: StreamStatus.ConnectFailed, Reason: "session aborted while connecting");
            }

            // Checked before the exception type: a socket torn down by the deadline may surface as an aborted operation.
            if (timer.IsCancellationRequested)
            {
                return new TryResult(TryFailure.ConnectTimeout, Status: StreamStatus.ConnectTimedOut,
                    Reason: $"connect timed out after {call.Policy.ConnectTimeout.TotalMilliseconds:F0} ms");
            }

            return new TryResult(TryFailure.ConnectError, Status: StreamStatus.ConnectFailed,
                Reason: ex is SocketException socketError ? "connect: " + SocketErrorText.Describe(socketError) : ex.Message);
        }
    }

    private static EndPoint EndPointFor(string host, int port) =>
        IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
}
