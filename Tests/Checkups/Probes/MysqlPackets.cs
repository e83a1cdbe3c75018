using System.Text;

namespace Slardar.Scriptable.Tests.Checkups.Probes;

/// <summary>MySQL wire packets built by hand, as a server would send them before any login.</summary>
internal static class MysqlPackets
{
    /// <summary>A complete protocol-10 greeting, as MySQL 8 sends it.</summary>
    public static byte[] Greeting(string version)
    {
        var payload = new List<byte> { 0x0a };
        payload.AddRange(Encoding.ASCII.GetBytes(version));
        payload.Add(0);
        payload.AddRange([0x2a, 0x00, 0x00, 0x00]); // connection id
        payload.AddRange("abcdefgh"u8.ToArray()); // auth-plugin-data part 1
        payload.Add(0); // filler
        payload.AddRange([0xff, 0xff]); // capability flags, lower
        payload.Add(0xff); // character set
        payload.AddRange([0x02, 0x00]); // status flags
        payload.AddRange([0xff, 0xdf]); // capability flags, upper
        payload.Add(21); // auth-plugin-data length
        payload.AddRange(new byte[10]); // reserved
        payload.AddRange("ijklmnopqrst\0"u8.ToArray()); // auth-plugin-data part 2
        payload.AddRange("caching_sha2_password\0"u8.ToArray());
        return Packet(payload.ToArray());
    }

    /// <summary>An error packet (0xff, code, message), as sent instead of a greeting.</summary>
    public static byte[] Error(ushort code, string message, string? sqlState = null)
    {
        var payload = new List<byte> { 0xff, (byte)code, (byte)(code >> 8) };
        if (sqlState is not null)
        {
            payload.AddRange(Encoding.ASCII.GetBytes("#" + sqlState));
        }

        payload.AddRange(Encoding.UTF8.GetBytes(message));
        return Packet(payload.ToArray());
    }

    /// <summary>Frames a payload: 3-byte little-endian length, sequence id 0.</summary>
    public static byte[] Packet(byte[] payload) =>
        [(byte)payload.Length, (byte)(payload.Length >> 8), (byte)(payload.Length >> 16), 0, .. payload];
}
