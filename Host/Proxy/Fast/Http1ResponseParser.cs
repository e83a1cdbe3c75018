using System.Buffers;
using System.Text;

namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>
/// Strict parser of a response head (RFC 9112 §4, §5, §6.3). Anything a lenient parser would have
/// to guess about ends the message with <see cref="Http1ProtocolException"/>: both Content-Length and
/// Transfer-Encoding, differing Content-Lengths, transfer codings other than chunked, obs-fold, bare
/// CR or LF, whitespace before a field's colon, control characters, a head over the size limit.
/// Guessing is how request smuggling and response desync start; a 502 is the safe answer.
/// </summary>
internal static class Http1ResponseParser
{
    private static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>
    /// Parses a complete head at the start of <paramref name="buffer"/> into <paramref name="head"/>.
    /// Returns false when more bytes are needed; <paramref name="consumed"/> is then meaningless.
    /// </summary>
    public static bool TryParseHead(in ReadOnlySequence<byte> buffer, Http1ResponseHead head, bool requestIsHead, int maxHeaderBytes, out SequencePosition consumed)
    {
        consumed = buffer.Start;
        if (buffer.IsSingleSegment)
        {
            return TryParseHead(buffer.FirstSpan, head, requestIsHead, maxHeaderBytes, buffer, out consumed);
        }

        var length = (int)Math.Min(buffer.Length, maxHeaderBytes + 4L);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(rented);
            return TryParseHead(rented.AsSpan(0, length), head, requestIsHead, maxHeaderBytes, buffer, out consumed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool TryParseHead(ReadOnlySpan<byte> span, Http1ResponseHead head, bool requestIsHead, int maxHeaderBytes, in ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        consumed = buffer.Start;
        var end = FindHeadEnd(span, maxHeaderBytes);
        if (end < 0)
        {
            return false;
        }

        head.Reset();
        var section = span[..end];
        var lineEnd = section.IndexOf((byte)'\n');
        ParseStatusLine(section[..(lineEnd - 1)], head);
        var rest = section[(lineEnd + 1)..];
        while (rest.Length > 2)
        {
            var next = rest.IndexOf((byte)'\n');
            ParseField(rest[..(next - 1)], head);
            rest = rest[(next + 1)..];
        }

        DecideFraming(head, requestIsHead);
        consumed = buffer.GetPosition(end);
        return true;
    }

    /// <summary>
    /// The length of the head including its empty line; -1 when incomplete. Throws on a bare CR or
    /// LF, and when the head outgrows the limit.
    /// </summary>
    private static int FindHeadEnd(ReadOnlySpan<byte> span, int maxHeaderBytes)
    {
        var limit = Math.Min(span.Length, maxHeaderBytes);
        var lineStart = 0;
        for (var i = 0; i < limit; i++)
        {
            var b = span[i];
            if (b == (byte)'\r')
            {
                if (i + 1 >= span.Length)
                {
                    break;
                }

                if (span[i + 1] != (byte)'\n')
                {
                    throw new Http1ProtocolException("bare CR in the response head");
                }

                i++;
                if (i - 1 == lineStart)
                {
                    if (lineStart == 0)
                    {
                        throw new Http1ProtocolException("empty status line");
                    }

                    return i + 1;
                }

                lineStart = i + 1;
            }
            else if (b == (byte)'\n')
            {
                throw new Http1ProtocolException("bare LF in the response head");
            }
        }

        if (span.Length >= maxHeaderBytes)
        {
            throw new Http1ProtocolException($"response head larger than {maxHeaderBytes} bytes");
        }

        return -1;
    }

    private static void ParseStatusLine(ReadOnlySpan<byte> line, Http1ResponseHead head)
    {
        // HTTP-version SP 3DIGIT SP [reason]; "HTTP/1.1 200" without the second SP is tolerated.
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' ')
        {
            throw new Http1ProtocolException("invalid status line");
        }

        head.MinorVersion = line[7] switch
        {
            (byte)'1' => 1,
            (byte)'0' => 0,
            _ => throw new Http1ProtocolException("unsupported HTTP version"),
        };
        var d1 = line[9] - '0';
        var d2 = line[10] - '0';
        var d3 = line[11] - '0';
        if (d1 is < 1 or > 5 || (uint)d2 > 9 || (uint)d3 > 9 || (line.Length > 12 && line[12] != (byte)' '))
        {
            throw new Http1ProtocolException("invalid status code");
        }

        head.StatusCode = (d1 * 100) + (d2 * 10) + d3;
        if (line.Length > 13 && !IsFieldValue(line[13..]))
        {
            throw new Http1ProtocolException("control character in the reason phrase");
        }
    }

    private static void ParseField(ReadOnlySpan<byte> line, Http1ResponseHead head)
    {
        if (line.Length == 0 || line[0] is (byte)' ' or (byte)'\t')
        {
            throw new Http1ProtocolException("obsolete line folding in the response head");
        }

        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[..colon].ContainsAnyExcept(TokenBytes))
        {
            throw new Http1ProtocolException("invalid header field name");
        }

        var name = line[..colon];
        var value = line[(colon + 1)..].Trim(" \t"u8);
        if (!IsFieldValue(value))
        {
            throw new Http1ProtocolException("control character in a header field value");
        }

        if (name.Length == 14 && Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
        {
            ParseContentLength(value, head);
        }
        else if (name.Length == 17 && Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
        {
            ParseTransferEncoding(value, head);
        }
        else if (name.Length == 10 && Ascii.EqualsIgnoreCase(name, "Connection"u8))
        {
            ParseConnection(value, head);
        }
        else
        {
            head.Fields.Add(new(Http1KnownHeaders.NameOf(name), head.ValueFor(head.Fields.Count, value)));
        }
    }

    /// <summary>Content-Length (RFC 9110 §8.6): digits only; a list or repeated field only when every value is the same.</summary>
    private static void ParseContentLength(ReadOnlySpan<byte> value, Http1ResponseHead head)
    {
        foreach (var range in value.Split((byte)','))
        {
            var item = value[range].Trim(" \t"u8);
            if (item.Length is 0 or > 18 || item.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
            {
                throw new Http1ProtocolException("invalid Content-Length");
            }

            long length = 0;
            foreach (var digit in item)
            {
                length = (length * 10) + (digit - '0');
            }

            if (head.ContentLength >= 0 && head.ContentLength != length)
            {
                throw new Http1ProtocolException("differing Content-Length values");
            }

            head.ContentLength = length;
        }
    }

    /// <summary>Only "chunked", once: any other coding would have to be passed on undecoded, with a framing this path cannot verify.</summary>
    private static void ParseTransferEncoding(ReadOnlySpan<byte> value, Http1ResponseHead head)
    {
        foreach (var range in value.Split((byte)','))
        {
            var item = value[range].Trim(" \t"u8);
            if (item.Length == 0)
            {
                continue;
            }

            if (head.Chunked || !Ascii.EqualsIgnoreCase(item, "chunked"u8))
            {
                throw new Http1ProtocolException("unsupported Transfer-Encoding");
            }

            head.Chunked = true;
        }

        if (!head.Chunked)
        {
            throw new Http1ProtocolException("empty Transfer-Encoding");
        }
    }

    private static void ParseConnection(ReadOnlySpan<byte> value, Http1ResponseHead head)
    {
        foreach (var range in value.Split((byte)','))
        {
            var item = value[range].Trim(" \t"u8);
            if (item.Length == 0)
            {
                continue;
            }

            if (item.ContainsAnyExcept(TokenBytes))
            {
                throw new Http1ProtocolException("invalid Connection option");
            }

            if (Ascii.EqualsIgnoreCase(item, "close"u8))
            {
                head.ConnectionClose = true;
            }
            else if (Ascii.EqualsIgnoreCase(item, "keep-alive"u8))
            {
                head.KeepAlive = true;
            }
            else
            {
                head.ConnectionOptions.Add(Http1KnownHeaders.NameOf(item));
            }
        }
    }

    private static void DecideFraming(Http1ResponseHead head, bool requestIsHead)
    {
        var status = head.StatusCode;
        if (head.Chunked && head.ContentLength >= 0)
        {
            // RFC 9112 §6.3: "ought to be handled as an error"; a proxy passing it on is how desync starts.
            throw new Http1ProtocolException("both Content-Length and Transfer-Encoding");
        }

        if (head.Chunked && head.MinorVersion == 0)
        {
            throw new Http1ProtocolException("Transfer-Encoding in an HTTP/1.0 response");
        }

        head.Framing = requestIsHead || status < 200 || status is 204 or 304
            ? Http1BodyFraming.None
            : head.Chunked
                ? Http1BodyFraming.Chunked
                : head.ContentLength switch
                {
                    0 => Http1BodyFraming.None,
                    > 0 => Http1BodyFraming.ContentLength,
                    _ => Http1BodyFraming.CloseDelimited,
                };
    }

    /// <summary>field-value bytes: VCHAR, obs-text, SP, HTAB (no CTLs, no DEL).</summary>
    internal static bool IsFieldValue(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    internal static bool IsToken(ReadOnlySpan<byte> value) => value.Length > 0 && !value.ContainsAnyExcept(TokenBytes);
}
