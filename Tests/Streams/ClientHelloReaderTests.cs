using System.Text;
using Shouldly;
using Slardar.Scriptable.Host.Streams;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>SNI from a ClientHello: real handshakes, every truncation, fragmentation, and hostile bytes.</summary>
public sealed class ClientHelloReaderTests
{
    [Fact]
    public async Task TryRead_RealClientHello_FindsTheServerName()
    {
        var hello = await ClientHelloCapture.CaptureAsync("Api.Example.test");

        ClientHelloReader.TryRead(hello, out var sni).ShouldBe(ClientHelloParse.Complete);
        sni.ShouldBe("api.example.test");
    }

    [Fact]
    public async Task TryRead_RealClientHelloWithoutServerName_IsCompleteWithNoName()
    {
        // An IP address as target host: SslStream sends no server_name (RFC 6066 forbids literal addresses).
        var hello = await ClientHelloCapture.CaptureAsync("127.0.0.1");

        ClientHelloReader.TryRead(hello, out var sni).ShouldBe(ClientHelloParse.Complete);
        sni.ShouldBeNull();
    }

    [Fact]
    public async Task TryRead_EveryProperPrefixOfAClientHello_NeedsMore()
    {
        var hello = await ClientHelloCapture.CaptureAsync("a.test");

        for (var length = 0; length < hello.Length; length++)
        {
            ClientHelloReader.TryRead(hello.AsSpan(0, length), out var sni).ShouldBe(ClientHelloParse.NeedMore, $"prefix of {length} bytes");
            sni.ShouldBeNull();
        }
    }

    [Fact]
    public async Task TryRead_ClientHelloSplitOverSeveralRecords_IsJoined()
    {
        var hello = await ClientHelloCapture.CaptureAsync("split.test");
        var handshake = hello.AsSpan(5, (hello[3] << 8) | hello[4]).ToArray();

        // The same handshake message in records of 50 bytes.
        var records = new List<byte>();
        foreach (var chunk in handshake.Chunk(50))
        {
            records.AddRange([22, 3, 1, (byte)(chunk.Length >> 8), (byte)chunk.Length]);
            records.AddRange(chunk);
        }

        ClientHelloReader.TryRead(records.ToArray(), out var sni).ShouldBe(ClientHelloParse.Complete);
        sni.ShouldBe("split.test");
        ClientHelloReader.TryRead(records.ToArray().AsSpan(0, records.Count - 1), out _).ShouldBe(ClientHelloParse.NeedMore);
    }

    [Theory]
    [InlineData("*2\r\n$3\r\nGET\r\n")]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("\u0016\u0002\u0000\u0000\u0005hello")]
    public void TryRead_OtherProtocols_AreNotClientHellos(string text)
    {
        ClientHelloReader.TryRead(Encoding.Latin1.GetBytes(text), out var sni).ShouldBe(ClientHelloParse.NotClientHello);
        sni.ShouldBeNull();
    }

    [Theory]
    [InlineData(new byte[] { 22, 3, 1, 0, 0 })] // an empty record
    [InlineData(new byte[] { 22, 3, 1, 0xFF, 0xFF })] // a record longer than TLS allows
    [InlineData(new byte[] { 22, 3, 1, 0, 4, 2, 0, 0, 0 })] // a ServerHello
    [InlineData(new byte[] { 22, 3, 1, 0, 4, 1, 0xFF, 0xFF, 0xFF })] // a 16 MB ClientHello
    [InlineData(new byte[] { 22, 3, 1, 0, 6, 1, 0, 0, 2, 3, 3 })] // a ClientHello too short for its random
    public void TryRead_MalformedHeaders_AreNotClientHellos(byte[] bytes)
    {
        ClientHelloReader.TryRead(bytes, out var sni).ShouldBe(ClientHelloParse.NotClientHello);
        sni.ShouldBeNull();
    }

    [Fact]
    public async Task TryRead_HostileServerNames_AreNoName()
    {
        var hello = await ClientHelloCapture.CaptureAsync("abcdefgh.test");
        var at = hello.AsSpan().IndexOf("abcdefgh.test"u8);
        foreach (var bad in new[] { "abc\0efgh.test", "abc/efgh.test", "abc efgh.test", "ab\u00e9defg.test" })
        {
            var copy = hello.ToArray();
            Encoding.Latin1.GetBytes(bad).CopyTo(copy, at);
            ClientHelloReader.TryRead(copy, out var sni).ShouldBe(ClientHelloParse.Complete, bad);
            sni.ShouldBeNull(bad);
        }
    }

    [Fact]
    public async Task TryRead_TenThousandMutationsOfARealClientHello_NeverThrowAndNeverInventAName()
    {
        var hello = await ClientHelloCapture.CaptureAsync("fuzz.example.test");
        var random = new Random(16);
        for (var i = 0; i < 10_000; i++)
        {
            var mutated = Mutate(hello, random);
            var result = ClientHelloReader.TryRead(mutated, out var sni);

            Enum.IsDefined(result).ShouldBeTrue();
            if (sni is not null)
            {
                result.ShouldBe(ClientHelloParse.Complete);
                sni.Length.ShouldBeInRange(1, 253);
                sni.ShouldAllBe(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-' || c == '.' || c == '_');
            }
        }
    }

    [Fact]
    public void TryRead_RandomBytes_NeverThrow()
    {
        var random = new Random(1995);
        for (var i = 0; i < 10_000; i++)
        {
            var bytes = new byte[random.Next(0, 600)];
            random.NextBytes(bytes);
            if (bytes.Length > 0 && random.Next(2) == 0)
            {
                bytes[0] = 22; // past the first check, into the length fields
            }

            ClientHelloReader.TryRead(bytes, out _);
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToArray();
        switch (random.Next(4))
        {
            case 0:
                for (var flips = random.Next(1, 8); flips > 0; flips--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 1:
                // A length field (two bytes anywhere) set to an extreme.
                var at = random.Next(bytes.Length - 1);
                (bytes[at], bytes[at + 1]) = random.Next(2) == 0 ? ((byte)0xFF, (byte)0xFF) : ((byte)0, (byte)0);
                return bytes;
            case 2:
                return bytes[..random.Next(bytes.Length)];
            default:
                var extra = new byte[random.Next(1, 64)];
                random.NextBytes(extra);
                return [.. bytes, .. extra];
        }
    }
}
