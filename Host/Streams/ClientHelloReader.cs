using System.Buffers.Binary;
using System.Text;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// Finds the server name (SNI, RFC 6066) in the first bytes of a TLS connection without consuming
/// them: TLS records of type handshake (their fragments joined, since a ClientHello may span
/// records), a ClientHello, its extensions, the <c>server_name</c> extension's first host_name. Every
/// length is checked against what encloses it; hostile bytes end in <see cref="ClientHelloParse.NotClientHello"/>,
/// never in an exception or a read past the input. A name that is not a plausible DNS name is no name.
/// </summary>
internal static class ClientHelloReader
{
    private const byte HandshakeRecord = 22;
    private const byte ClientHelloType = 1;
    private const ushort ServerNameExtension = 0;
    private const byte HostNameType = 0;
    private const int MaxRecordFragment = (1 << 14) + 2048;

    /// <summary>The longest ClientHello followed (its handshake bytes), far above real ones (post-quantum key shares included).</summary>
    public const int MaxHandshakeBytes = 64 * 1024;

    public static ClientHelloParse TryRead(ReadOnlySpan<byte> data, out string? sni)
    {
        sni = null;
        if (data.IsEmpty)
        {
            return ClientHelloParse.NeedMore;
        }

        if (data[0] != HandshakeRecord)
        {
            return ClientHelloParse.NotClientHello;
        }

        var handshake = FirstFragment(data, out var state);
        if (state != ClientHelloParse.Complete)
        {
            return state;
        }

        // A record's fragment is never empty (checked), so its first byte is the handshake type.
        if (handshake[0] != ClientHelloType)
        {
            return ClientHelloParse.NotClientHello;
        }

        if (handshake.Length >= 4)
        {
            var length = (handshake[1] << 16) | (handshake[2] << 8) | handshake[3];
            if (length > MaxHandshakeBytes)
            {
                return ClientHelloParse.NotClientHello;
            }

            if (handshake.Length >= 4 + length)
            {
                return ParseClientHello(handshake.Slice(4, length), out sni);
            }
        }

        return JoinAndParse(data, out sni);
    }

    // The first record's fragment, when the record header is valid and the whole record is there.
    private static ReadOnlySpan<byte> FirstFragment(ReadOnlySpan<byte> data, out ClientHelloParse state)
    {
        state = ClientHelloParse.NeedMore;
        if (data.Length < 5)
        {
            // What there is of the header must still look like TLS 1.x.
            state = data.Length >= 2 && data[1] != 3 ? ClientHelloParse.NotClientHello : ClientHelloParse.NeedMore;
            return default;
        }

        var fragmentLength = BinaryPrimitives.ReadUInt16BigEndian(data[3..]);
        if (data[1] != 3 || data[2] > 4 || fragmentLength == 0 || fragmentLength > MaxRecordFragment)
        {
            state = ClientHelloParse.NotClientHello;
            return default;
        }

        if (data.Length < 5 + fragmentLength)
        {
            // Only the first part of the record is there: parse what there is of the handshake header.
            var partial = data[5..];
            if (partial.Length >= 1 && partial[0] != ClientHelloType)
            {
                state = ClientHelloParse.NotClientHello;
                return default;
            }

            if (partial.Length >= 4 && ((partial[1] << 16) | (partial[2] << 8) | partial[3]) > MaxHandshakeBytes)
            {
                state = ClientHelloParse.NotClientHello;
            }

            return default;
        }

        state = ClientHelloParse.Complete;
        return data.Slice(5, fragmentLength);
    }

    // A ClientHello spread over several records: their fragments are copied into one buffer.
    private static ClientHelloParse JoinAndParse(ReadOnlySpan<byte> data, out string? sni)
    {
        sni = null;
        var joined = new byte[Math.Min(data.Length, MaxHandshakeBytes + 4)];
        var filled = 0;
        var offset = 0;
        while (true)
        {
            if (data.Length - offset < 5)
            {
                return ClientHelloParse.NeedMore;
            }

            var fragmentLength = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 3)..]);
            if (data[offset] != HandshakeRecord || data[offset + 1] != 3 || data[offset + 2] > 4 || fragmentLength == 0 || fragmentLength > MaxRecordFragment)
            {
                return ClientHelloParse.NotClientHello;
            }

            if (data.Length - offset - 5 < fragmentLength)
            {
                return ClientHelloParse.NeedMore;
            }

            var fragment = data.Slice(offset + 5, fragmentLength);
            if (filled + fragment.Length > joined.Length)
            {
                return ClientHelloParse.NotClientHello;
            }

            fragment.CopyTo(joined.AsSpan(filled));
            filled += fragment.Length;
            offset += 5 + fragmentLength;
            if (filled >= 4)
            {
                var length = (joined[1] << 16) | (joined[2] << 8) | joined[3];
                if (joined[0] != ClientHelloType || length > MaxHandshakeBytes)
                {
                    return ClientHelloParse.NotClientHello;
                }

                if (filled >= 4 + length)
                {
                    return ParseClientHello(joined.AsSpan(4, length), out sni);
                }
            }
        }
    }

    // client_version(2) random(32) session_id<0..32> cipher_suites<2..2^16-2> compression_methods<1..2^8-1> extensions<0..2^16-1>
    private static ClientHelloParse ParseClientHello(ReadOnlySpan<byte> hello, out string? sni)
    {
        sni = null;
        var reader = new SpanReader(hello);
        if (!reader.Skip(2 + 32)
            || !reader.TryReadVector8(out var sessionId) || sessionId.Length > 32
            || !reader.TryReadVector16(out var ciphers) || ciphers.Length < 2 || ciphers.Length % 2 != 0
            || !reader.TryReadVector8(out var compression) || compression.Length < 1)
        {
            return ClientHelloParse.NotClientHello;
        }

        if (reader.Remaining == 0)
        {
            // No extensions at all (SSL 3 style): a ClientHello without a name.
            return ClientHelloParse.Complete;
        }

        if (!reader.TryReadVector16(out var extensions) || reader.Remaining != 0)
        {
            return ClientHelloParse.NotClientHello;
        }

        var list = new SpanReader(extensions);
        var seen = false;
        string? name = null;
        while (list.Remaining > 0)
        {
            if (!list.TryReadUInt16(out var type) || !list.TryReadVector16(out var body))
            {
                return ClientHelloParse.NotClientHello;
            }

            if (type != ServerNameExtension)
            {
                continue;
            }

            // RFC 8446 4.2: an extension type appears at most once.
            if (seen)
            {
                return ClientHelloParse.NotClientHello;
            }

            seen = true;
            if (!TryReadServerName(body, out name))
            {
                return ClientHelloParse.NotClientHello;
            }
        }

        // Set only now: a name followed by a malformed extension is no name.
        sni = name;
        return ClientHelloParse.Complete;
    }

    // server_name_list<1..2^16-1> of { name_type(1), HostName<1..2^16-1> }: the first host_name counts.
    private static bool TryReadServerName(ReadOnlySpan<byte> body, out string? sni)
    {
        // Out parameters are only read by the caller when this returns true.
        sni = null;
        var reader = new SpanReader(body);
        if (!reader.TryReadVector16(out var names) || reader.Remaining != 0)
        {
            return false;
        }

        var list = new SpanReader(names);
        while (list.Remaining > 0)
        {
            if (!list.TryReadByte(out var nameType) || !list.TryReadVector16(out var name))
            {
                return false;
            }

            if (nameType == HostNameType && sni is null)
            {
                sni = ToHostName(name);
            }
        }

        return true;
    }

    // A DNS name (letters, digits, '-', '_', '.'; at most 253): lower-cased. Anything else is no name.
    private static string? ToHostName(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.Length > 253)
        {
            return null;
        }

        foreach (var b in name)
        {
            var ok = b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_';
            if (!ok)
            {
                return null;
            }
        }

        return Encoding.ASCII.GetString(name).ToLowerInvariant().TrimEnd('.');
    }

    private ref struct SpanReader
    {
        private ReadOnlySpan<byte> _rest;

        public SpanReader(ReadOnlySpan<byte> data) => _rest = data;

        public readonly int Remaining => _rest.Length;

        public bool Skip(int count)
        {
            if (_rest.Length < count)
            {
                return false;
            }

            _rest = _rest[count..];
            return true;
        }

        public bool TryReadByte(out byte value)
        {
            value = 0;
            if (_rest.IsEmpty)
            {
                return false;
            }

            value = _rest[0];
            _rest = _rest[1..];
            return true;
        }

        public bool TryReadUInt16(out ushort value)
        {
            value = 0;
            if (_rest.Length < 2)
            {
                return false;
            }

            value = BinaryPrimitives.ReadUInt16BigEndian(_rest);
            _rest = _rest[2..];
            return true;
        }

        public bool TryReadVector8(out ReadOnlySpan<byte> vector)
        {
            vector = default;
            return TryReadByte(out var length) && TryTake(length, out vector);
        }

        public bool TryReadVector16(out ReadOnlySpan<byte> vector)
        {
            vector = default;
            return TryReadUInt16(out var length) && TryTake(length, out vector);
        }

        private bool TryTake(int length, out ReadOnlySpan<byte> vector)
        {
            vector = default;
            if (_rest.Length < length)
            {
                return false;
            }

            vector = _rest[..length];
            _rest = _rest[length..];
            return true;
        }
    }
}
