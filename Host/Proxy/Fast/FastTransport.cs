using System.Buffers;
using System.Runtime.CompilerServices;
using Slardar.Scriptable.Host.Bodies;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>
/// The HTTP proxy's fast transport: one try is one request on a pooled HTTP/1.1 connection
/// (<see cref="Http1Client"/>), written from the incoming request and answered straight into
/// Kestrel's response pipe, with the same outcomes as <see cref="YarpTransport"/>: connect error or
/// timeout, send and read timeouts, held-back retryable statuses, never a retry once the response
/// started, a client gone. A reused connection that fails before any response byte is resent once
/// on a fresh connection inside the same try (the peer closed it while idle). One per gateway.
/// </summary>
internal sealed class FastTransport : ITryTransport<ProxyExchange>
{
    private const int BodyChunkBytes = 16 * 1024;

    // The client left before anything went out (waiting for a connection slot, or connecting).
    private static readonly TryResult ClientGone = new(TryFailure.Client, Status: TryRules.GatewayStatusOf(TryFailure.Client), Reason: "the client went away");

    private readonly Http1Client _client;
    private readonly TimeSpan _sendTimeout;
    private readonly TimeSpan _readTimeout;
    private readonly TimeProvider _time;

    public FastTransport(Http1Client client, ProxyOptions options, TimeProvider time)
    {
        _client = client;
        _sendTimeout = options.SendTimeout;
        _readTimeout = options.ReadTimeout;
        _time = time;
    }

    private enum Phase
    {
        Sending,
        Waiting,
        Body,
    }

    /// <remarks>
    /// Not async itself, and one async method per try: under load nearly every await completes later,
    /// and each async layer would cost the request a state machine box (the pooling builder's few
    /// cached boxes run out with dozens of requests in flight).
    /// </remarks>
    public ValueTask<TryResult> SendAsync(UpstreamCall call, ProxyExchange exchange, PeerState peer)
    {
        if (call.Attempts > 1)
        {
            // What the previous try left (a held-back answer's headers) is not this try's.
            exchange.Context.Response.Clear();
        }

        exchange.BeginTry();
        var pool = _client.PoolFor(peer);
        return pool.Slots is { } slots ? SendInSlotAsync(slots, pool, call, exchange, peer) : SendTryAsync(pool, call, exchange, peer);
    }

    /// <summary>With <c>Proxy:MaxConnectionsPerPeer</c>: the try waits for one of the peer's connection slots.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TryResult> SendInSlotAsync(SemaphoreSlim slots, Http1PeerPool pool, UpstreamCall call, ProxyExchange exchange, PeerState peer)
    {
        try
        {
            await slots.WaitAsync(exchange.Context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return ClientGone;
        }

        try
        {
            return await SendTryAsync(pool, call, exchange, peer);
        }
        finally
        {
            slots.Release();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TryResult> SendTryAsync(Http1PeerPool pool, UpstreamCall call, ProxyExchange exchange, PeerState peer)
    {
        var context = exchange.Context;
        var request = context.Request;
        var body = exchange.Body;
        var state = _client.RentState();
        try
        {
            var connection = pool.TryRentIdle();
            while (true)
            {
                if (connection is null)
                {
                    try
                    {
                        connection = await pool.ConnectAsync(call.Policy.ConnectTimeout, context.RequestAborted);
                    }
                    catch (UpstreamConnectException ex)
                    {
                        var failure = ex.TimedOut ? TryFailure.ConnectTimeout : TryFailure.ConnectError;
                        return new TryResult(failure, Status: TryRules.GatewayStatusOf(failure), Reason: ex.Message);
                    }
                    catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                    {
                        return ClientGone;
                    }
                }

                var head = state.Head;
                var phase = Phase.Sending;
                var keep = false;
                var registration = context.RequestAborted.UnsafeRegister(static s => ((Http1Connection)s!).Abort(), connection);
                try
                {
                    var chunked = body is not null && request.ContentLength is null;
                    var length = request.ContentLength ?? (body is null && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method)) ? 0 : -1);
                    Http1RequestWriter.WriteHead(connection.Writer, request, exchange.ClientIp, peer.Address, length, chunked);
                    if (body is null)
                    {
                        await FlushAsync(connection, state);
                    }
                    else if (await SendBodyAsync(connection, body, chunked, state) is { } clientFailure)
                    {
                        return Fail(exchange, TryFailure.Client, clientFailure);
                    }

                    phase = Phase.Waiting;
                    var isHead = HttpMethods.IsHead(request.Method);
                    await Http1ResponseReader.ReadHeadAsync(connection.Reader, head, isHead, _client.Options, state.Read, _readTimeout);
                    var status = head.StatusCode;
                    var at = _time.GetTimestamp();
                    exchange.ResponseHeaders(status, at);
                    if (call.ShouldHoldBack(status))
                    {
                        // Kept from the client; the connection goes with the unread body.
                        return new TryResult(TryFailure.Status, status, status, at);
                    }

                    // Before a byte reaches the client, so its next request already avoids this peer.
                    call.ReportFailedStatusEarly(status);
                    Http1ResponseCopier.CopyHead(head, context.Response, isHead);
                    phase = Phase.Body;
                    if (!await Http1ResponseReader.CopyBodyAsync(connection.Reader, head, context.Response.BodyWriter, state.Chunked, _client.Options, state.Read, _readTimeout))
                    {
                        return Fail(exchange, TryFailure.Client, "the client stopped reading the response");
                    }

                    keep = Http1ResponseReader.EndedCleanly(connection.Reader, head);
                    var failure = call.IsFailureStatus(status) ? TryFailure.Status : TryFailure.None;
                    return new TryResult(failure, status, status, at, context.Response.HasStarted);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    if (!IsStale(ex, phase, connection, head, state, context, body))
                    {
                        return Classify(ex, phase, exchange, state);
                    }
                }
                finally
                {
                    // Before the connection can serve another request, the client's abort must no longer reach it.
                    registration.Dispose();
                    if (keep)
                    {
                        pool.Return(connection);
                    }
                    else
                    {
                        connection.Dispose();
                    }
                }

                // The peer closed the idle connection before this request reached it: its other idle
                // ones are likely gone too. The same try goes out on a fresh connection.
                pool.DrainIdle();
                body?.Rewind();
                state.Reset();
                connection = null;
            }
        }
        finally
        {
            _client.ReturnState(state);
        }
    }

    /// <summary>A reused connection the peer had closed while idle: lost before any response byte, nothing timed out, the body can go again.</summary>
    private static bool IsStale(Exception exception, Phase phase, Http1Connection connection, Http1ResponseHead head, Http1TryState state, HttpContext context, RecordedBodyReader? body) =>
        phase != Phase.Body && connection.Reused && !head.BytesSeen && IsConnectionLoss(exception) && !state.Send.Fired && !state.Read.Fired
        && !context.RequestAborted.IsCancellationRequested && body is not { CanReplay: false };

    /// <returns>Why the client's body failed; null when it was sent in full.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<string?> SendBodyAsync(Http1Connection connection, RecordedBodyReader body, bool chunked, Http1TryState state)
    {
        var writer = connection.Writer;
        while (true)
        {
            var memory = writer.GetMemory(BodyChunkBytes + 8);
            var target = chunked ? memory.Slice(6, Math.Min(memory.Length - 8, BodyChunkBytes)) : memory;
            int read;
            try
            {
                read = await body.ReadAsync(target);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException or Microsoft.AspNetCore.Http.BadHttpRequestException)
            {
                return "the client's request body failed: " + ex.Message;
            }

            if (read == 0)
            {
                if (chunked)
                {
                    writer.Write("0\r\n\r\n"u8);
                }

                await FlushAsync(connection, state);
                return null;
            }

            if (chunked)
            {
                // Four hex digits (a chunk is at most 16 KiB; leading zeros are valid), the data, CRLF.
                var span = memory.Span;
                read.TryFormat(span[..4], out _, "x4", System.Globalization.CultureInfo.InvariantCulture);
                "\r\n"u8.CopyTo(span[4..]);
                "\r\n"u8.CopyTo(span[(6 + read)..]);
                writer.Advance(read + 8);
            }
            else
            {
                writer.Advance(read);
            }

            await FlushAsync(connection, state);
        }
    }

    /// <summary>One write to the peer under the send timeout (nginx's proxy_send_timeout: per write, not per body).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushAsync(Http1Connection connection, Http1TryState state)
    {
        var token = state.Send.Start(_sendTimeout);
        try
        {
            var flushed = await connection.Writer.FlushAsync(token);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                throw new IOException("the peer stopped taking the request");
            }
        }
        finally
        {
            state.Send.Stop();
        }
    }

    // What a connection the peer closed while it sat idle looks like: a reset, a closed socket, an end before any byte.
    private static bool IsConnectionLoss(Exception exception) =>
        exception is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or Http1ProtocolException;

    private static TryResult Classify(Exception exception, Phase phase, ProxyExchange exchange, Http1TryState state)
    {
        var context = exchange.Context;
        var reason = exception.GetBaseException().Message;
        if (context.RequestAborted.IsCancellationRequested)
        {
            return Fail(exchange, TryFailure.Client, "the client went away");
        }

        if (phase == Phase.Body && context.Response.HasStarted)
        {
            // Part of this answer is at the client: it must see the break, not a short body that looks complete.
            context.Abort();
            return new TryResult(TryFailure.AfterResponseStarted, exchange.PeerStatus, context.Response.StatusCode, exchange.ResponseHeadersAt, ResponseStarted: true, reason);
        }

        var failure = (phase == Phase.Sending && state.Send.Fired) || (phase != Phase.Sending && state.Read.Fired)
            ? TryFailure.Timeout
            : TryFailure.Error;
        if (failure == TryFailure.Timeout)
        {
            reason = phase == Phase.Sending ? "send timeout" : "read timeout";
        }
        else if (exception is Http1ProtocolException)
        {
            reason = "malformed response: " + reason;
        }

        return Fail(exchange, failure, reason);
    }

    private static TryResult Fail(ProxyExchange exchange, TryFailure failure, string reason)
    {
        var response = exchange.Context.Response;
        if (!response.HasStarted)
        {
            // The peer's status and headers may be half copied: the gateway's own answer follows.
            response.Clear();
        }

        return new TryResult(failure, exchange.PeerStatus, response.HasStarted ? response.StatusCode : TryRules.GatewayStatusOf(failure), exchange.ResponseHeadersAt, response.HasStarted, reason);
    }
}
