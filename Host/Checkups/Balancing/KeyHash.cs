using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Slardar.Scriptable.Host.Checkups.Balancing;

/// <summary>
/// MurmurHash3 (x86, 32-bit) of the UTF-8 bytes of a string. Stable across processes, machines and
/// .NET versions, unlike <see cref="string.GetHashCode()"/> (randomised per process), so every
/// gateway instance maps a key to the same peer. Murmur3 rather than checkups' <c>h*31+b</c>:
/// that hash clusters similar keys (URIs differing in the last character land next to each other).
/// </summary>
internal static class KeyHash
{
    // Keys are URIs, IPs and header values: almost always short enough for the stack.
    private const int StackLimit = 512;

    private const uint C1 = 0xcc9e2d51;
    private const uint C2 = 0x1b873593;

    public static uint Hash(string key, uint seed = 0)
    {
        ArgumentNullException.ThrowIfNull(key);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(key.Length);
        if (maxBytes <= StackLimit)
        {
            Span<byte> buffer = stackalloc byte[StackLimit];
            var length = Encoding.UTF8.GetBytes(key, buffer);
            return Hash(buffer[..length], seed);
        }

        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var length = Encoding.UTF8.GetBytes(key, rented);
            return Hash(rented.AsSpan(0, length), seed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static uint Hash(ReadOnlySpan<byte> data, uint seed)
    {
        var h = seed;
        var blocks = data.Length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4, 4));
            h ^= Scramble(k);
            h = BitOperations.RotateLeft(h, 13);
            h = (h * 5) + 0xe6546b64;
        }

        var tail = data[(blocks * 4)..];
        uint last = 0;
        switch (tail.Length)
        {
            case 3:
                last ^= (uint)tail[2] << 16;
                goto case 2;
            case 2:
                last ^= (uint)tail[1] << 8;
                goto case 1;
            case 1:
                last ^= tail[0];
                h ^= Scramble(last);
                break;
        }

        h ^= (uint)data.Length;
        return Mix(h);
    }

    private static uint Scramble(uint k)
    {
        k *= C1;
        k = BitOperations.RotateLeft(k, 15);
        return k * C2;
    }

    // Final avalanche: every input bit affects every output bit.
    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return h;
    }
}
