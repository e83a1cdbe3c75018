using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Slardar.Scriptable.Host.Streams.Loops;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// One accepted TCP connection: what /status shows of it while it lives, and the copy both ways
/// once it is connected to a peer (here on the runtime's sockets; a session connected on an event
/// loop is relayed there, <see cref="RelayOnLoopAsync"/>). Each direction is a loop over one pooled buffer; the end of one
/// direction (a FIN) is passed on as a half-close, and the session ends when both are done, or at
/// once when either side fails, the idle or lifetime timer fires, or the session is aborted.
/// </summary>
internal sealed partial class StreamSession : IDisposable
{
    private readonly Socket _client;
    private readonly CancellationTokenSource _abort = new();
    private Socket? _upstream;
    private long _bytesUp;
    private int _bufferBytes;
    private long _bytesDown;
    private int _endReason = -1;
    private int _directionsEnded;

    // 1 MiB of 64 KiB chunks at most in one go on one thread.
    private const int ChunksBeforeYield = 16;

    public StreamSession(long id, Socket client, string listener, long startedAt)
    {
        Id = id;
        _client = client;
        Listener = listener;
        StartedAt = startedAt;
        Client = client.RemoteEndPoint as IPEndPoint;
    }

    public long Id { get; }

    /// <summary>The client's socket, for the preread of its first bytes (the copy reads it afterwards).</summary>
    public Socket ClientSocket => _client;

    public string Listener { get; }

    public IPEndPoint? Client { get; }

    /// <summary>The client's address without port (for ip_hash and the log); "-" when unknown.</summary>
    public string ClientAddress => Client?.Address.IsIPv4MappedToIPv6 == true ? Client.Address.MapToIPv4().ToString() : Client?.Address.ToString() ?? "-";

    public long StartedAt { get; }

    public string? Upstream { get; set; }

    /// <summary>The peer the session is connected to, once it is.</summary>
    public string? PeerAddress { get; set; }

    /// <summary>Bytes from the client to the peer (the preread bytes included).</summary>
    public long BytesUp => Interlocked.Read(ref _bytesUp);

    /// <summary>Bytes of pooled buffers the session holds now: 0 while no bytes flow.</summary>
    public int BufferBytes => Volatile.Read(ref _bufferBytes);

    /// <summary>Bytes from the peer to the client.</summary>
    public long BytesDown => Interlocked.Read(ref _bytesDown);

    /// <summary>Ends the session's wait or copy now (shutting both sockets down); the first reason given is kept.</summary>
    public CancellationToken Aborted => _abort.Token;

    public StreamEndReason? AbortReason => _endReason < 0 ? null : (StreamEndReason)_endReason;

    public void Abort(StreamEndReason reason)
    {
        Interlocked.CompareExchange(ref _endReason, (int)reason, -1);
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        // Shut down, not closed: whatever waits on a socket wakes (a connect fails, a receive ends, a
        // send fails), and the descriptor stays its owner's to close (an event loop's sockets are
        // closed only by the loop, which a descriptor closed here could be reused under).
        StreamSockets.ShutDownQuietly(_client);
        StreamSockets.ShutDownQuietly(Volatile.Read(ref _upstream));
    }

    /// <summary>
    /// Makes <paramref name="upstream"/> the socket an abort shuts down (each connect try's, so the one
    /// that connected stays it); false when the session was aborted already.
    /// </summary>
    public bool Attach(Socket upstream)
    {
        // Paired with Abort (cancel, then read _upstream): one of the two sees the other's write.
        Volatile.Write(ref _upstream, upstream);
        Interlocked.MemoryBarrier();
        return !_abort.IsCancellationRequested;
    }

    /// <summary>Sends <paramref name="preread"/> to the peer, then copies both ways until the session ends.</summary>
    /// <param name="upstream">The connected socket, attached by its connect try (<see cref="Attach"/>).</param>
    /// <param name="tls">The TLS session over <paramref name="upstream"/> when the gateway originates TLS to the peer; null for plain TCP.</param>
    public async Task<StreamEndReason> PumpAsync(Socket upstream, SslStream? tls, ReadOnlyMemory<byte> preread, StreamSessionClock clock, int bufferSize)
    {
        if (_abort.IsCancellationRequested)
        {
            tls?.Dispose();
            upstream.Dispose();
            return AbortReason ?? StreamEndReason.Error;
        }

        try
        {
            if (tls is not null)
            {
                return await RelayTlsAsync(upstream, tls, preread, clock, bufferSize).ConfigureAwait(false);
            }

            if (!preread.IsEmpty)
            {
                await SendAllAsync(upstream, preread, _abort.Token).ConfigureAwait(false);
                Count(preread.Length, upward: true);
                clock.Touch();
            }

            // The copy loops look for bytes with receives that do not wait (ReceiveNow).
            _client.Blocking = false;
            upstream.Blocking = false;

            // A direction that fails aborts the session, which ends the other at once.
            var up = CopyAsync(_client, upstream, bufferSize, clock, upward: true);
            var down = CopyAsync(upstream, _client, bufferSize, clock, upward: false);
            return EndOf(await up.ConfigureAwait(false) & await down.ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            return AbortReason ?? StreamEndReason.Error;
        }
        finally
        {
            tls?.Dispose();
            upstream.Dispose();
            _client.Dispose();
        }
    }

    /// <summary>Sends <paramref name="preread"/> to the peer, then copies both ways on the event loop that connected the session, until the session ends.</summary>
    public async Task<StreamEndReason> RelayOnLoopAsync(StreamLoopSession relay, ReadOnlyMemory<byte> preread)
    {
        // The loop's reads must not wait (a blocking one would hold up every session of the loop).
        _client.Blocking = false;
        var end = await relay.RelayAsync(_client, preread.Span).ConfigureAwait(false);
        return AbortReason ?? end;
    }

    // The session's end once both directions have ended, each true when its source ended cleanly.
    private StreamEndReason EndOf(bool bothClean) => AbortReason ?? (bothClean ? StreamEndReason.Closed : StreamEndReason.Error);

    /// <summary>Bytes passed on, for the access log and /status: up is client to peer.</summary>
    public void Count(long bytes, bool upward) => Interlocked.Add(ref upward ? ref _bytesUp : ref _bytesDown, bytes);

    /// <summary>Pooled buffer bytes taken (positive) or given back (negative), for /status.</summary>
    public void HoldBuffer(int bytes) => Interlocked.Add(ref _bufferBytes, bytes);

    /// <summary>Closes the client without proxying (refused, nothing connected).</summary>
    public void CloseClient() => _client.Dispose();

    public void Dispose() => _abort.Dispose();

    // True when the source ended cleanly (its FIN was passed on), false when a side failed or the
    // session was aborted (a failure aborts it: the other direction ends too). A direction holds
    // pooled buffers only while bytes flow, so an idle session holds none (10,000 idle sessions would
    // otherwise pin 10,000 x 4 x 64 KiB): it reads with a receive that does not wait, and when nothing
    // is there it gives its buffers back and waits with a zero-byte receive. While the source streams
    // (a read fills the buffer), the next chunk is read into a second buffer as the last one is sent
    // (nginx reads into its buffer's free space while a write waits; a single stream needs the
    // overlap). No token on the socket calls: Abort closes the sockets, which ends any call in flight,
    // and a token would cost a registration per call.
    private async Task<bool> CopyAsync(Socket from, Socket to, int bufferSize, StreamSessionClock clock, bool upward)
    {
        byte[]? current = null;
        byte[]? next = null;
        var chunks = 0;

        // The peer has been sent nothing but the preread bytes when the copy starts, so its answer is
        // rarely there yet: that direction waits before it reads (the wait looks once itself). The
        // client's first bytes usually are there (they came while the connect ran).
        var wait = !upward;
        try
        {
            while (true)
            {
                if (wait)
                {
                    GiveBack(ref current, bufferSize);
                    GiveBack(ref next, bufferSize);

                    // Wakes when bytes or the end are there (or spuriously: the receive below then finds none).
                    await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                    wait = false;
                }

                current ??= Rent(bufferSize);
                var read = ReceiveNow(from, current.AsSpan(0, bufferSize));
                if (read < 0)
                {
                    wait = true;
                    continue;
                }

                while (read == bufferSize)
                {
                    // Stamped when bytes arrive, not again after they left: a stamp taken late would
                    // move the idle deadline past a silence that had already begun.
                    clock.Touch();
                    next ??= Rent(bufferSize);
                    var receiving = from.ReceiveAsync(next.AsMemory(0, bufferSize), SocketFlags.None);
                    try
                    {
                        await SendAllAsync(to, current.AsMemory(0, read), CancellationToken.None).ConfigureAwait(false);
                    }
                    catch
                    {
                        // The receive beside it is awaited (its socket is closed by now) so its buffer is
                        // no longer written to when it goes back to the pool.
                        Abort(StreamEndReason.Error);
                        await ObserveAsync(receiving).ConfigureAwait(false);
                        throw;
                    }

                    Count(read, upward);
                    read = await receiving.ConfigureAwait(false);
                    if (IsTimeToYield(++chunks))
                    {
                        await Task.Yield();
                    }
                    (current, next) = (next, current);
                }

                if (read == 0)
                {
                    // The source's FIN: the other side may still answer (a half-closed session). When
                    // the other direction has ended already, closing both sockets sends it.
                    if (Interlocked.Increment(ref _directionsEnded) == 1)
                    {
                        to.Shutdown(SocketShutdown.Send);
                    }

                    return true;
                }

                clock.Touch();
                await SendAllAsync(to, current.AsMemory(0, read), CancellationToken.None).ConfigureAwait(false);
                Count(read, upward);
                if (IsTimeToYield(++chunks))
                {
                    await Task.Yield();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            Abort(StreamEndReason.Error);
            return false;
        }
        finally
        {
            GiveBack(ref current, bufferSize);
            GiveBack(ref next, bufferSize);
        }
    }

    // While both sides keep up, receives and sends complete at once and a copy loop never waits: every
    // few chunks it steps off the thread it runs on (with inline completions, the socket event thread
    // every other session's events need) and goes on from the thread pool.
    private static bool IsTimeToYield(int chunks) => chunks % ChunksBeforeYield == 0;

    // One receive that does not wait (the socket is non-blocking): the bytes read, 0 at the source's
    // end, -1 when none are there yet.
    private static int ReceiveNow(Socket from, Span<byte> buffer)
    {
        var read = from.Receive(buffer, SocketFlags.None, out var error);
        return error switch
        {
            SocketError.Success => read,
            SocketError.WouldBlock => -1,
            _ => throw new SocketException((int)error),
        };
    }

    private byte[] Rent(int bufferSize)
    {
        HoldBuffer(bufferSize);
        return ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    private void GiveBack(ref byte[]? buffer, int bufferSize)
    {
        if (buffer is null)
        {
            return;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        buffer = null;
        HoldBuffer(-bufferSize);
    }

    private static async ValueTask ObserveAsync(ValueTask<int> receiving)
    {
        try
        {
            await receiving.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken token)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, token).ConfigureAwait(false);
            data = data[sent..];
        }
    }
}
