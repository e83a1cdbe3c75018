using System.Buffers;

namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>
/// Strict decoder of a chunked body (RFC 9112 §7.1): chunk sizes are hex digits only (at most 15,
/// no sign, no prefix, no whitespace before them), extensions must be well formed, every chunk's
/// data ends in CRLF, lines end in CRLF, the trailer section counts against the header limit and
/// is dropped. Anything else is an <see cref="Http1ProtocolException"/>. One per pooled try state.
/// </summary>
internal sealed class Http1ChunkedDecoder
{
    private enum State
    {
        SizeLine,
        Data,
        DataEnd,
        Trailers,
        Done,
    }

    private State _state;
    private long _remaining;
    private int _trailerBytes;
    private int _maxLineBytes = 4096;
    private int _maxTrailerBytes = 64 * 1024;

    public void Reset(int maxLineBytes, int maxTrailerBytes)
    {
        _state = State.SizeLine;
        _remaining = 0;
        _trailerBytes = 0;
        _maxLineBytes = maxLineBytes;
        _maxTrailerBytes = maxTrailerBytes;
    }

    /// <summary>One step over <paramref name="reader"/>; on <see cref="Http1ChunkStep.Data"/>, <paramref name="data"/> is the next body bytes.</summary>
    public Http1ChunkStep Next(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> data)
    {
        data = default;
        while (true)
        {
            switch (_state)
            {
                case State.Done:
                    return Http1ChunkStep.Done;

                case State.SizeLine:
                    if (!TryReadLine(ref reader, _maxLineBytes, out var sizeLine))
                    {
                        return Http1ChunkStep.NeedMore;
                    }

                    _remaining = ParseSizeLine(sizeLine);
                    _state = _remaining == 0 ? State.Trailers : State.Data;
                    break;

                case State.Data:
                    if (reader.End)
                    {
                        return Http1ChunkStep.NeedMore;
                    }

                    var take = Math.Min(_remaining, reader.Remaining);
                    data = reader.UnreadSequence.Slice(0, take);
                    reader.Advance(take);
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        _state = State.DataEnd;
                    }

                    return Http1ChunkStep.Data;

                case State.DataEnd:
                    if (reader.Remaining < 2)
                    {
                        if (reader.TryPeek(out var first) && first != (byte)'\r')
                        {
                            throw new Http1ProtocolException("chunk data longer than its size");
                        }

                        return Http1ChunkStep.NeedMore;
                    }

                    if (!reader.IsNext("\r\n"u8, advancePast: true))
                    {
                        throw new Http1ProtocolException("chunk data longer than its size");
                    }

                    _state = State.SizeLine;
                    break;

                case State.Trailers:
                    var budget = _maxTrailerBytes - _trailerBytes;
                    if (!TryReadLine(ref reader, budget, out var trailer))
                    {
                        return Http1ChunkStep.NeedMore;
                    }

                    _trailerBytes += (int)trailer.Length + 2;
                    if (trailer.Length == 0)
                    {
                        _state = State.Done;
                        return Http1ChunkStep.Done;
                    }

                    ValidateTrailer(trailer);
                    break;
            }
        }
    }

    /// <summary>A line ending in CRLF, without it; false when the buffer ends first. Bare CR or LF and overlong lines throw.</summary>
    private static bool TryReadLine(ref SequenceReader<byte> reader, int maxBytes, out ReadOnlySequence<byte> line)
    {
        if (!reader.TryReadTo(out line, (byte)'\n', advancePastDelimiter: true))
        {
            if (reader.Remaining > maxBytes)
            {
                throw new Http1ProtocolException("chunk line or trailer section too long");
            }

            return false;
        }

        if (line.Length + 1 > maxBytes)
        {
            throw new Http1ProtocolException("chunk line or trailer section too long");
        }

        if (line.IsEmpty || !line.Slice(line.Length - 1).FirstSpan.SequenceEqual("\r"u8))
        {
            throw new Http1ProtocolException("bare LF in a chunked body");
        }

        line = line.Slice(0, line.Length - 1);
        if (line.PositionOf((byte)'\r') is not null)
        {
            throw new Http1ProtocolException("bare CR in a chunked body");
        }

        return true;
    }

    private static long ParseSizeLine(in ReadOnlySequence<byte> sequence)
    {
        Span<byte> copy = stackalloc byte[(int)Math.Min(sequence.Length, 256)];
        var line = sequence.IsSingleSegment ? sequence.FirstSpan : Linearize(sequence, copy);
        long size = 0;
        var i = 0;
        for (; i < line.Length; i++)
        {
            var digit = HexValue(line[i]);
            if (digit < 0)
            {
                break;
            }

            if (i >= 15)
            {
                throw new Http1ProtocolException("chunk size too large");
            }

            size = (size << 4) | (uint)digit;
        }

        if (i == 0)
        {
            throw new Http1ProtocolException("invalid chunk size");
        }

        ValidateExtensions(line[i..]);
        return size;
    }

    /// <summary>chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ), ext-val = token / quoted-string.</summary>
    private static void ValidateExtensions(ReadOnlySpan<byte> rest)
    {
        var i = 0;
        while (true)
        {
            i = SkipWhitespace(rest, i);
            if (i == rest.Length)
            {
                return;
            }

            if (rest[i] != (byte)';')
            {
                throw new Http1ProtocolException("invalid chunk extension");
            }

            i = SkipWhitespace(rest, i + 1);
            i = ReadToken(rest, i);
            i = SkipWhitespace(rest, i);
            if (i < rest.Length && rest[i] == (byte)'=')
            {
                i = SkipWhitespace(rest, i + 1);
                i = i < rest.Length && rest[i] == (byte)'"' ? ReadQuoted(rest, i + 1) : ReadToken(rest, i);
            }
        }
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> span, int i)
    {
        while (i < span.Length && span[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        return i;
    }

    private static int ReadToken(ReadOnlySpan<byte> span, int i)
    {
        var start = i;
        while (i < span.Length && Http1ResponseParser.IsToken(span.Slice(i, 1)))
        {
            i++;
        }

        return i > start ? i : throw new Http1ProtocolException("invalid chunk extension");
    }

    private static int ReadQuoted(ReadOnlySpan<byte> span, int i)
    {
        for (; i < span.Length; i++)
        {
            var b = span[i];
            if (b == (byte)'"')
            {
                return i + 1;
            }

            if (b == (byte)'\\')
            {
                i++;
                if (i == span.Length || (span[i] < 0x20 && span[i] != (byte)'\t') || span[i] == 0x7F)
                {
                    throw new Http1ProtocolException("invalid chunk extension");
                }
            }
            else if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
            {
                throw new Http1ProtocolException("invalid chunk extension");
            }
        }

        throw new Http1ProtocolException("unterminated quoted chunk extension");
    }

    private static void ValidateTrailer(in ReadOnlySequence<byte> sequence)
    {
        var copy = sequence.IsSingleSegment ? sequence.FirstSpan : sequence.ToArray();
        var colon = copy.IndexOf((byte)':');
        if (copy[0] is (byte)' ' or (byte)'\t' || colon <= 0 || !Http1ResponseParser.IsToken(copy[..colon]) || !Http1ResponseParser.IsFieldValue(copy[(colon + 1)..]))
        {
            throw new Http1ProtocolException("invalid trailer field");
        }
    }

    private static ReadOnlySpan<byte> Linearize(in ReadOnlySequence<byte> sequence, Span<byte> copy)
    {
        if (sequence.Length > copy.Length)
        {
            // Longer lines are rare (extensions); the limit bounds them.
            return sequence.ToArray();
        }

        sequence.CopyTo(copy);
        return copy[..(int)sequence.Length];
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
