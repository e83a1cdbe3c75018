using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>
/// Reads one response from a peer's connection: the head (1xx skipped), then the body by its framing
/// into the client's pipe, flushing after each read so back-pressure reaches the peer, then whether
/// the connection ended the message cleanly enough to carry another request. The transport and the
/// parser's fuzz tests go through exactly these three steps.
/// </summary>
internal static class Http1ResponseReader
{
    /// <summary>Reads a response head may take (1xx heads included) before the peer counts as hostile.</summary>
    public const int MaxHeadReads = 256;

    /// <summary>Reads until a final (non-1xx) head is parsed; throws <see cref="Http1ProtocolException"/> on anything malformed or an early end.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public static async ValueTask ReadHeadAsync(PipeReader upstream, Http1ResponseHead head, bool requestIsHead, Http1ClientOptions options, Http1Deadline? deadline, TimeSpan readTimeout)
    {
        var reads = 0;
        while (true)
        {
            // Each read parses the head from its start: a peer trickling it in tiny pieces would make
            // that quadratic. A real head comes in a few reads; this many is a hostile or broken peer.
            if (++reads > MaxHeadReads)
            {
                throw new Http1ProtocolException("the response head came in too many small pieces");
            }

            var result = await StartRead(upstream, deadline, readTimeout);
            EndRead(deadline);
            var buffer = result.Buffer;
            if (!buffer.IsEmpty)
            {
                head.BytesSeen = true;
            }

            if (!Http1ResponseParser.TryParseHead(buffer, head, requestIsHead, options.MaxHeaderBytes, out var consumed))
            {
                if (result.IsCompleted)
                {
                    throw new Http1ProtocolException(buffer.IsEmpty ? "the peer closed the connection before responding" : "the response head ended early");
                }

                upstream.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            upstream.AdvanceTo(consumed);
            if (head.StatusCode >= 200)
            {
                return;
            }

            if (head.StatusCode == 101)
            {
                // The fast path never asks for an upgrade (those requests go to YARP).
                throw new Http1ProtocolException("101 Switching Protocols without an upgrade request");
            }
        }
    }

    /// <summary>
    /// Copies the body to <paramref name="client"/>. Returns false when the client stopped taking it;
    /// peer failures throw (<see cref="Http1ProtocolException"/> for an early end or bad framing).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<bool> CopyBodyAsync(PipeReader upstream, Http1ResponseHead head, PipeWriter client, Http1ChunkedDecoder chunked, Http1ClientOptions options, Http1Deadline? deadline, TimeSpan readTimeout)
    {
        switch (head.Framing)
        {
            case Http1BodyFraming.None:
                return true;

            case Http1BodyFraming.ContentLength:
                var remaining = head.ContentLength;
                while (remaining > 0)
                {
                    var result = await StartRead(upstream, deadline, readTimeout);
                    EndRead(deadline);
                    var buffer = result.Buffer;
                    if (buffer.IsEmpty)
                    {
                        upstream.AdvanceTo(buffer.Start, buffer.End);
                        if (result.IsCompleted)
                        {
                            throw new Http1ProtocolException("the response body ended before its Content-Length");
                        }

                        continue;
                    }

                    var slice = buffer.Length > remaining ? buffer.Slice(0, remaining) : buffer;
                    var written = TryWrite(client, slice);
                    upstream.AdvanceTo(slice.End);
                    remaining -= slice.Length;
                    if (!written || !await FlushAsync(client))
                    {
                        return false;
                    }
                }

                return true;

            case Http1BodyFraming.Chunked:
                chunked.Reset(options.MaxChunkLineBytes, options.MaxHeaderBytes);
                while (true)
                {
                    var result = await StartRead(upstream, deadline, readTimeout);
                    EndRead(deadline);
                    var step = Decode(chunked, result.Buffer, client, out var consumed, out var wrote);
                    upstream.AdvanceTo(consumed, step == Http1ChunkStep.NeedMore ? result.Buffer.End : consumed);
                    if (wrote < 0 || (wrote > 0 && !await FlushAsync(client)))
                    {
                        return false;
                    }

                    if (step == Http1ChunkStep.Done)
                    {
                        return true;
                    }

                    if (result.IsCompleted)
                    {
                        throw new Http1ProtocolException("the chunked response body ended early");
                    }
                }

            default:
                while (true)
                {
                    var result = await StartRead(upstream, deadline, readTimeout);
                    EndRead(deadline);
                    var buffer = result.Buffer;
                    var written = buffer.IsEmpty || TryWrite(client, buffer);
                    upstream.AdvanceTo(buffer.End);
                    if (!written || (!buffer.IsEmpty && !await FlushAsync(client)))
                    {
                        return false;
                    }

                    if (result.IsCompleted)
                    {
                        return true;
                    }
                }
        }
    }

    /// <summary>
    /// After a body copied in full: whether the connection may carry another request. Not when the
    /// head said close, the body was close-delimited, or the peer sent bytes past the message's end
    /// (or closed): those belong to no request, and reading them as the next answer is desync.
    /// </summary>
    public static bool EndedCleanly(PipeReader upstream, Http1ResponseHead head)
    {
        if (!head.Reusable)
        {
            return false;
        }

        if (upstream.TryRead(out var rest))
        {
            var clean = rest.Buffer.IsEmpty && !rest.IsCompleted;
            upstream.AdvanceTo(rest.Buffer.Start);
            return clean;
        }

        return true;
    }

    /// <summary>
    /// Starts one read under the read timeout; the caller awaits it in place and then calls
    /// <see cref="EndRead"/>. Not an async method of its own: under load most reads complete later,
    /// and each would cost a state machine box per read on top of its caller's.
    /// </summary>
    private static ValueTask<ReadResult> StartRead(PipeReader upstream, Http1Deadline? deadline, TimeSpan timeout)
    {
        if (upstream.TryRead(out var buffered))
        {
            return new ValueTask<ReadResult>(buffered);
        }

        return deadline is null ? upstream.ReadAsync() : upstream.ReadAsync(deadline.Start(timeout));
    }

    /// <summary>Disarms the read timeout after a read has completed (a read that threw leaves it to the try state's reset).</summary>
    private static void EndRead(Http1Deadline? deadline) => deadline?.Stop();

    /// <returns>The decoder's last step; <paramref name="wrote"/> is the bytes handed to the client, -1 when it refused them.</returns>
    private static Http1ChunkStep Decode(Http1ChunkedDecoder chunked, in ReadOnlySequence<byte> buffer, PipeWriter client, out SequencePosition consumed, out long wrote)
    {
        var reader = new SequenceReader<byte>(buffer);
        wrote = 0;
        Http1ChunkStep step;
        while ((step = chunked.Next(ref reader, out var data)) == Http1ChunkStep.Data)
        {
            if (!TryWrite(client, data))
            {
                wrote = -1;
                break;
            }

            wrote += data.Length;
        }

        consumed = reader.Position;
        return step;
    }

    private static bool TryWrite(PipeWriter client, in ReadOnlySequence<byte> data)
    {
        try
        {
            foreach (var segment in data)
            {
                client.Write(segment.Span);
            }

            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> FlushAsync(PipeWriter client)
    {
        try
        {
            var flushed = await client.FlushAsync();
            return !flushed.IsCanceled && !flushed.IsCompleted;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
    }
}
