using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// One accepted TCP connection: what /status shows of it while it lives, and the copy both ways
/// once it is connected to a peer. Each direction is a loop over one pooled buffer; the end of one
/// direction (a FIN) is passed on as a half-close, and the session ends when both are done, or at
/// once when either side fails, the idle or lifetime timer fires, or the session is aborted.
/// </summary>
internal sealed class StreamSession : IDisposable
{
    private readonly Socket _client;
    private readonly CancellationTokenSource _abort = new();
    private Socket? _upstream;
    private long _bytesUp;
    private long _bytesDown;
    private int _endReason = -1;

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

    /// <summary>Bytes from the peer to the client.</summary>
    public long BytesDown => Interlocked.Read(ref _bytesDown);

    /// <summary>Ends the session's wait or copy now (closing both sockets); the first reason given is kept.</summary>
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

        // A receive blocked in the kernel ends when its socket closes.
        _client.Dispose();
        Volatile.Read(ref _upstream)?.Dispose();
    }

    /// <summary>Sends <paramref name="preread"/> to the peer, then copies both ways until the session ends.</summary>
    public async Task<StreamEndReason> PumpAsync(Socket upstream, ReadOnlyMemory<byte> preread, StreamSessionClock clock, int bufferSize)
    {
        // Paired with Abort (cancel, then read _upstream): one of the two sees the other's write.
        Volatile.Write(ref _upstream, upstream);
        Interlocked.MemoryBarrier();
        if (_abort.IsCancellationRequested)
        {
            upstream.Dispose();
            return AbortReason ?? StreamEndReason.Error;
        }

        try
        {
            if (!preread.IsEmpty)
            {
                await SendAllAsync(upstream, preread, _abort.Token).ConfigureAwait(false);
                Interlocked.Add(ref _bytesUp, preread.Length);
                clock.Touch();
            }

            var up = CopyAsync(_client, upstream, bufferSize, clock, upward: true);
            var down = CopyAsync(upstream, _client, bufferSize, clock, upward: false);
            var first = await Task.WhenAny(up, down).ConfigureAwait(false);
            if (!await first.ConfigureAwait(false))
            {
                Abort(StreamEndReason.Error);
            }

            var both = await up.ConfigureAwait(false) & await down.ConfigureAwait(false);
            return AbortReason ?? (both ? StreamEndReason.Closed : StreamEndReason.Error);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            return AbortReason ?? StreamEndReason.Error;
        }
        finally
        {
            upstream.Dispose();
            _client.Dispose();
        }
    }

    /// <summary>Closes the client without proxying (refused, nothing connected).</summary>
    public void CloseClient() => _client.Dispose();

    public void Dispose() => _abort.Dispose();

    // True when the source ended cleanly (its FIN was passed on), false when a side failed or the
    // session was aborted. Two buffers: the next receive runs while the last chunk is being sent, so a
    // peer that reads slowly does not also stall reading from the other side (nginx reads into its
    // buffer's free space while a write waits). No token on the socket calls: Abort closes the sockets,
    // which ends any call in flight, and a token would cost a registration per call.
    private async Task<bool> CopyAsync(Socket from, Socket to, int bufferSize, StreamSessionClock clock, bool upward)
    {
        var current = ArrayPool<byte>.Shared.Rent(bufferSize);
        var next = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            var read = await from.ReceiveAsync(current.AsMemory(0, bufferSize), SocketFlags.None).ConfigureAwait(false);
            while (read > 0)
            {
                // Stamped when bytes arrive, not again after they left: a stamp taken late would
                // move the idle deadline past a silence that had already begun.
                clock.Touch();
                var sending = SendAllAsync(to, current.AsMemory(0, read), CancellationToken.None);
                var receiving = from.ReceiveAsync(next.AsMemory(0, bufferSize), SocketFlags.None);
                try
                {
                    await sending.ConfigureAwait(false);
                }
                catch
                {
                    Abort(StreamEndReason.Error);
                    await ObserveAsync(receiving).ConfigureAwait(false);
                    throw;
                }

                if (upward)
                {
                    Interlocked.Add(ref _bytesUp, read);
                }
                else
                {
                    Interlocked.Add(ref _bytesDown, read);
                }

                read = await receiving.ConfigureAwait(false);
                (current, next) = (next, current);
            }

            // The source's FIN: the other side may still answer (a half-closed session).
            to.Shutdown(SocketShutdown.Send);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    // A receive left in flight when the send beside it failed: awaited (its socket is closed by now) so
    // its buffer is no longer written to when it goes back to the pool.
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
