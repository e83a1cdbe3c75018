using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>Judges the first packet a MySQL server sends: its greeting, or an error instead of one.</summary>
internal static class MysqlHandshake
{
    public const string InvalidMessage = "invalid handshake";

    /// <summary>Packet header: 3-byte little-endian payload length, then the sequence id.</summary>
    public const int HeaderLength = 4;

    /// <summary>Greetings are about a hundred bytes; a larger claim means this is not MySQL.</summary>
    public const int MaxPayloadLength = 64 * 1024;

    private const byte ProtocolV10 = 0x0a;
    private const byte ErrorPacket = 0xff;

    /// <summary>The payload length the header announces, or -1 when it is out of range.</summary>
    public static int PayloadLength(ReadOnlySpan<byte> header)
    {
        var length = header[0] | (header[1] << 8) | (header[2] << 16);
        return length is > 0 and <= MaxPayloadLength ? length : -1;
    }

    public static ProbeResult Judge(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return ProbeResult.Err(InvalidMessage);
        }

        switch (payload[0])
        {
            case ProtocolV10:
                var versionEnd = payload[1..].IndexOf((byte)0);
                if (versionEnd < 0)
                {
                    return ProbeResult.Err(InvalidMessage);
                }

                var version = Encoding.UTF8.GetString(payload.Slice(1, versionEnd));
                return ProbeResult.Ok(new Dictionary<string, object?>(StringComparer.Ordinal) { [MysqlProbe.VersionField] = version });

            // Refusals before the greeting ("Too many connections", "Host ... is blocked") come this way.
            case ErrorPacket when payload.Length >= 3:
                var code = BinaryPrimitives.ReadUInt16LittleEndian(payload[1..]);
                var message = payload[3..];

                // Protocol 4.1 error packets put '#' and a 5-character SQL state before the text.
                if (message is [(byte)'#', _, _, _, _, _, ..])
                {
                    message = message[6..];
                }

                return ProbeResult.Err(string.Create(CultureInfo.InvariantCulture, $"mysql error {code}: {Encoding.UTF8.GetString(message)}"));
            default:
                return ProbeResult.Err(InvalidMessage);
        }
    }
}
