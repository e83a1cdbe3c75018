using System.Buffers;
using System.Net;
using System.Net.Sockets;
using static Slardar.Scriptable.Host.Streams.Loops.LinuxSocketCalls;

namespace Slardar.Scriptable.Host.Streams.Loops;

/// <summary>
/// One connect try and, when it connects, the relay of a plain stream session on an event loop: the
/// non-blocking connect, then both directions copied as their sockets' events come (edge-triggered:
/// each read goes on until the kernel has no more). A send the other side cannot take yet keeps the
/// rest in a pooled buffer and stops reading that direction until the socket is writable again, so a
/// slow reader holds up only its own session. A FIN is passed on as a half-close; the session ends
/// when both directions have, when a socket fails, or when the session is aborted (its sockets are
/// shut down from whichever thread aborts it; the loop then closes them).
/// </summary>
internal sealed unsafe class StreamLoopSession
{
    /// <summary>Reads one direction makes per event before the loop's other sessions get their turn.</summary>
    public const int ChunksPerTurn = 16;

    private const int Connecting = 0;
    private const int Connected = 1;
    private const int Relaying = 2;
    private const int Closed = 3;

    private readonly StreamEventLoop _loop;
    private readonly StreamSession _session;
    private readonly StreamSessionClock _clock;
    private readonly Socket _upstream;
    private readonly int _upstreamFd;
    private readonly int _readBytes;
    private readonly TaskCompletionSource<SocketError> _connected = new();
    private readonly TaskCompletionSource<StreamEndReason> _ended = new();
    private Socket? _client;
    private int _clientFd = -1;
    private int _state;
    private volatile bool _abandoned;
    private bool _upstreamReadable;
    private Direction _up;
    private Direction _down;

    public StreamLoopSession(StreamEventLoop loop, StreamSession session, StreamSessionClock clock, Socket upstream, int bufferBytes)
    {
        _loop = loop;
        _session = session;
        _clock = clock;
        _upstream = upstream;
        _upstreamFd = (int)upstream.SafeHandle.DangerousGetHandle();
        _readBytes = Math.Min(bufferBytes, StreamEventLoop.ReadBufferBytes);
    }

    /// <summary>What this session's events carry (see <see cref="StreamEventLoop.Register"/>); 0 until its connect is under way.</summary>
    public ulong Token { get; private set; }

    /// <summary>
    /// Starts connecting the upstream socket (non-blocking) to <paramref name="address"/> and completes
    /// when the loop sees it connected or failed: <see cref="SocketError.Success"/> or why not. A
    /// failed try's socket is closed by then.
    /// </summary>
    public Task<SocketError> ConnectAsync(SocketAddress address)
    {
        int result;
        fixed (byte* raw = address.Buffer.Span)
        {
            result = Connect(_upstreamFd, raw, address.Size);
        }

        if (result != 0 && LastError is var errno and not EInProgress)
        {
            _state = Closed;
            _upstream.Dispose();
            return Task.FromResult(ErrorOf(errno));
        }

        // Watched once the connect is under way: a socket that has not started one reads as hung up.
        Token = _loop.Register(this);
        if (!_loop.Watch(EpollCtlAdd, _upstreamFd, Token | 1))
        {
            var error = ErrorOf(LastError);
            _loop.Unregister(Token);
            _state = Closed;
            _upstream.Dispose();
            return Task.FromResult(error);
        }

        return _connected.Task;
    }

    /// <summary>
    /// Sends <paramref name="preread"/> (the client's first bytes, read for its preread script) to the
    /// upstream, then relays between <paramref name="client"/> and it until the session ends. Called
    /// once, after <see cref="ConnectAsync"/> succeeded, on any thread.
    /// </summary>
    public Task<StreamEndReason> RelayAsync(Socket client, ReadOnlySpan<byte> preread)
    {
        _client = client;
        _clientFd = (int)client.SafeHandle.DangerousGetHandle();

        // Held as bytes the upstream has not taken yet: they go first, when it is writable, and the
        // client's direction reads only after them.
        if (!preread.IsEmpty)
        {
            Hold(ref _up, preread);
        }

        if (Interlocked.CompareExchange(ref _state, Relaying, Connected) != Connected)
        {
            // Closed (aborted) meanwhile: the loop is done with it, and the preread goes back here.
            GiveBack(ref _up);
            return _ended.Task;
        }

        if (_loop.IsCurrentThread)
        {
            // The connect's completion ran here: the upstream's first bytes (a server that speaks
            // first) may have come with it, and that edge is spent.
            try
            {
                if (!_loop.Watch(EpollCtlAdd, _clientFd, Token))
                {
                    Close(StreamEndReason.Error);
                    return _ended.Task;
                }

                Flush(upward: true);
                if (_upstreamReadable)
                {
                    Read(upward: false);
                }
            }
#pragma warning disable CA1031 // See OnEvent.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Close(StreamEndReason.Error, failure: ex);
            }
        }
        else
        {
            // Another thread: the loop may close the sockets meanwhile (an abort), so each is held while
            // it is watched; re-arming the upstream reports what came before (an edge the loop ignored).
            WatchFromElsewhere(client, EpollCtlAdd, _clientFd, Token);
            WatchFromElsewhere(_upstream, EpollCtlMod, _upstreamFd, Token | 1);
        }

        return _ended.Task;
    }

    /// <summary>Gives up a connected socket the session will not use (its connect ran out of time as it connected).</summary>
    public void Abandon()
    {
        if (Volatile.Read(ref _state) == Closed)
        {
            return;
        }

        _abandoned = true;
        if (_loop.IsCurrentThread)
        {
            Close(StreamEndReason.Error);
        }
        else
        {
            StreamSockets.ShutDownQuietly(_upstream);
        }
    }

    /// <summary>An event of one of the session's sockets (the loop's thread).</summary>
    public void OnEvent(uint events, bool upstreamSocket)
    {
        try
        {
            if (EndRequested() is { } reason)
            {
                Close(reason);
                return;
            }

            switch (Volatile.Read(ref _state))
            {
                case Connecting:
                    OnConnectEvent(events);
                    break;
                case Connected:
                    _upstreamReadable |= upstreamSocket && (events & (EpollIn | EpollRdHup | EpollHup | EpollErr)) != 0;
                    break;
                case Relaying:
                    // A reset (or another socket error) ends the session now, even while the
                    // direction from that socket holds bytes its reader has not taken (it would not
                    // read the socket to find the error until then).
                    if ((events & EpollErr) != 0)
                    {
                        Close(StreamEndReason.Error);
                        break;
                    }

                    // Writable: the direction toward this socket sends what it holds. Readable (or its
                    // end): the direction from this socket reads.
                    if ((events & EpollOut) != 0)
                    {
                        Flush(upward: upstreamSocket);
                    }

                    if ((events & (EpollIn | EpollRdHup | EpollHup)) != 0)
                    {
                        Read(upward: !upstreamSocket);
                    }

                    break;
            }
        }
#pragma warning disable CA1031 // The loop serves every session of its core: a failure of its code ends this session (its relay reports it) and no other.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Close(StreamEndReason.Error, failure: ex);
        }
    }

    /// <summary>A direction that had more to read after its turn goes on (the loop's thread).</summary>
    public void OnResume(bool upward)
    {
        try
        {
            if (EndRequested() is { } reason)
            {
                Close(reason);
            }
            else
            {
                Read(upward);
            }
        }
#pragma warning disable CA1031 // See OnEvent.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Close(StreamEndReason.Error, failure: ex);
        }
    }

    private StreamEndReason? EndRequested() =>
        _session.AbortReason ?? (_abandoned ? StreamEndReason.Error : null);

    private void OnConnectEvent(uint events)
    {
        int error = 0, length = sizeof(int);
        GetSockOpt(_upstreamFd, SolSocket, SoError, &error, &length);
        if (error == 0 && (events & (EpollHup | EpollErr)) == 0)
        {
            if ((events & EpollOut) == 0)
            {
                // Not connected yet (a wake-up without news).
                return;
            }

            _upstreamReadable = (events & (EpollIn | EpollRdHup)) != 0;
            Volatile.Write(ref _state, Connected);
            _connected.TrySetResult(SocketError.Success);
            return;
        }

        Close(StreamEndReason.Error, ErrorOf(error == 0 ? EConnReset : error));
    }

    // Reads until the kernel has no more (edge-triggered), sending each chunk on; stops when the other
    // side cannot take more (the rest is held until it is writable), at the source's end, or after its turn.
    private void Read(bool upward)
    {
        ref var direction = ref upward ? ref _up : ref _down;
        if (direction.Held is not null || direction.SourceEnded || _state != Relaying)
        {
            return;
        }

        var (from, to) = upward ? (_clientFd, _upstreamFd) : (_upstreamFd, _clientFd);
        var buffer = _loop.Buffer;
        for (var chunks = 0; chunks < ChunksPerTurn; chunks++)
        {
            var read = Recv(from, buffer, (nuint)_readBytes, 0);
            if (read > 0)
            {
                _clock.Touch();
                var sent = SendSome(to, buffer, (int)read);
                if (sent < 0)
                {
                    Close(StreamEndReason.Error);
                    return;
                }

                _session.Count(sent, upward);
                if (sent < read)
                {
                    Hold(ref direction, new ReadOnlySpan<byte>(buffer + sent, (int)read - sent));
                    return;
                }

                continue;
            }

            if (read == 0)
            {
                EndOf(ref direction, upward, to);
                return;
            }

            var errno = LastError;
            if (errno == EIntr)
            {
                continue;
            }

            if (errno != EAgain)
            {
                Close(StreamEndReason.Error);
            }

            return;
        }

        _loop.Resume(this, upward);
    }

    // The source's FIN: the other side may still answer (a half-closed session); when the other
    // direction has ended already, the session has.
    private void EndOf(ref Direction direction, bool upward, int to)
    {
        direction.SourceEnded = true;
        if ((upward ? _down : _up).SourceEnded)
        {
            Close(StreamEndReason.Closed);
            return;
        }

        Shutdown(to, ShutWr);
    }

    // The socket a direction sends to is writable again: what it held goes, then it reads on.
    private void Flush(bool upward)
    {
        ref var direction = ref upward ? ref _up : ref _down;
        if (direction.Held is not { } held)
        {
            return;
        }

        int sent;
        fixed (byte* bytes = held)
        {
            sent = SendSome(upward ? _upstreamFd : _clientFd, bytes + direction.Offset, direction.Count);
        }

        if (sent < 0)
        {
            Close(StreamEndReason.Error);
            return;
        }

        _session.Count(sent, upward);
        direction.Offset += sent;
        direction.Count -= sent;
        if (direction.Count > 0)
        {
            return;
        }

        GiveBack(ref direction);
        Read(upward);
    }

    // Sends until all is sent or the socket takes no more: the bytes sent, -1 when the socket failed.
    private static int SendSome(int to, byte* bytes, int count)
    {
        var sent = 0;
        while (sent < count)
        {
            var n = Send(to, bytes + sent, (nuint)(count - sent), MsgNoSignal);
            if (n > 0)
            {
                sent += (int)n;
                continue;
            }

            var errno = LastError;
            if (n < 0 && errno == EIntr)
            {
                continue;
            }

            return n < 0 && errno == EAgain ? sent : -1;
        }

        return sent;
    }

    private void Hold(ref Direction direction, ReadOnlySpan<byte> rest)
    {
        // A read's rest fits a read buffer; a preread may be longer (preread_bytes).
        var size = Math.Max(_readBytes, rest.Length);
        var held = ArrayPool<byte>.Shared.Rent(size);
        rest.CopyTo(held);
        direction.Held = held;
        direction.HeldSize = size;
        direction.Offset = 0;
        direction.Count = rest.Length;
        _session.HoldBuffer(size);
    }

    private void GiveBack(ref Direction direction)
    {
        if (direction.Held is { } held)
        {
            direction.Held = null;
            ArrayPool<byte>.Shared.Return(held);
            _session.HoldBuffer(-direction.HeldSize);
        }
    }

    // Ends the session on the loop's thread: frees its slot and buffers, closes its sockets, then
    // completes what waits on it (the connect try or the relay), whose continuation runs here.
    private void Close(StreamEndReason reason, SocketError connectError = SocketError.OperationAborted, Exception? failure = null)
    {
        var was = Interlocked.Exchange(ref _state, Closed);
        if (was == Closed)
        {
            return;
        }

        try
        {
            _loop.Unregister(Token);
            GiveBack(ref _up);
            GiveBack(ref _down);
            _upstream.Dispose();
            if (was == Relaying)
            {
                _client!.Dispose();
            }
        }
        finally
        {
            _connected.TrySetResult(connectError);
            if (failure is null)
            {
                _ended.TrySetResult(reason);
            }
            else
            {
                _ended.TrySetException(failure);
            }
        }
    }

    private void WatchFromElsewhere(Socket socket, int op, int fd, ulong data)
    {
        // Held, so the loop's close of an aborted session waits: the descriptor is not reused meanwhile.
        var held = false;
        try
        {
            socket.SafeHandle.DangerousAddRef(ref held);
            _loop.Watch(op, fd, data);
        }
        catch (ObjectDisposedException)
        {
            // Closed by the loop already: the session has ended.
        }
        finally
        {
            if (held)
            {
                socket.SafeHandle.DangerousRelease();
            }
        }
    }

    // errno values a connect reports, as the runtime names them (SocketErrorText describes them).
    private static SocketError ErrorOf(int errno) => errno switch
    {
        111 => SocketError.ConnectionRefused,
        110 => SocketError.TimedOut,
        EConnReset => SocketError.ConnectionReset,
        103 => SocketError.ConnectionAborted,
        101 => SocketError.NetworkUnreachable,
        113 => SocketError.HostUnreachable,
        99 => SocketError.AddressNotAvailable,
        24 or 23 => SocketError.TooManyOpenSockets,
        105 => SocketError.NoBufferSpaceAvailable,
        13 or 1 => SocketError.AccessDenied,
        _ => SocketError.SocketError,
    };

    /// <summary>One direction's bytes that the other side could not take yet, and whether its source has ended.</summary>
    private struct Direction
    {
        public byte[]? Held;
        public int HeldSize;
        public int Offset;
        public int Count;
        public bool SourceEnded;
    }
}
