using System.Text;
using CsCheck;
using Slardar.Scriptable.Host.Proxy.Fast;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Proxy.Fast;

/// <summary>
/// Property tests of the fast path's response reading: random, HTTP-shaped and mutated bytes never
/// crash it (only <see cref="Http1ProtocolException"/>, a 502), a framing error never leaves a
/// connection for reuse, and a reused connection never reads anything but the next real response.
/// </summary>
public sealed class Http1ResponseReaderPropertyTests
{
    private const long Iterations = 5000;

    private static readonly string[] Fragments =
    [
        "HTTP/1.1 200 OK\r\n", "HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.0 204 No Content\r\n", "HTTP/1.1 304 x\r\n",
        "Content-Length: 5\r\n", "Content-Length: 0\r\n", "Content-Length: 99999999999999999999\r\n", "Transfer-Encoding: chunked\r\n",
        "Connection: close\r\n", "Connection: keep-alive, x\r\n", "X-A: b\r\n", " folded\r\n", "\r\n", "\n", "\r", " ", ":", ";",
        "5\r\n", "hello", "\r\n0\r\n\r\n", "0\r\n", "5;a=\"b\\\"c\"\r\n", "fffffffffffffffff\r\n", "T: 1\r\n",
    ];

    private static readonly Gen<byte[]> HttpShaped =
        Gen.OneOf(Gen.Int[0, Fragments.Length - 1].Select(i => Encoding.Latin1.GetBytes(Fragments[i])), Gen.Byte.Array[1, 8])
            .Array[0, 24]
            .Select(parts => parts.SelectMany(p => p).ToArray());

    private static readonly Gen<byte[]> AnyBytes = Gen.OneOf(Gen.Byte.Array[0, 300], HttpShaped);

    private static readonly Gen<Http1TestResponse> Valid =
        from letters in Gen.Int[0, 25].Array[0, 60]
        from status in Gen.OneOf(200, 201, 404, 500, 502, 204, 304)
        from chunked in Gen.Bool
        from splits in Gen.Int[1, 17].Array[1, 6]
        from extensions in Gen.Bool
        from interim in Gen.Bool
        select Http1TestResponse.Create(new string(letters.Select(l => (char)('a' + l)).ToArray()), status, chunked, splits, extensions, interim);

    [Fact]
    public void Read_RandomAndHttpShapedBytes_OnlyProtocolErrorsAndNoReuseAfterOne()
    {
        Gen.Select(AnyBytes, Gen.Int).Sample((bytes, seed) =>
        {
            var outcomes = Http1ResponseReading.ReadAllAsync(new TrickleStream(bytes, seed), max: 4).GetAwaiter().GetResult();
            for (var i = 0; i < outcomes.Count; i++)
            {
                var outcome = outcomes[i];
                if (outcome.Error is not null || outcome.Framing == Http1BodyFraming.CloseDelimited)
                {
                    Assert.False(outcome.Reusable);
                    Assert.Equal(outcomes.Count - 1, i);
                }
            }
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Read_ValidResponsesBackToBack_EachArrivesIntactOnOneConnection()
    {
        Gen.Select(Valid.Array[1, 3], Gen.Int).Sample((responses, seed) =>
        {
            var segments = responses.Select(r => r.Bytes).ToArray();
            var outcomes = Http1ResponseReading.ReadAllAsync(new TrickleStream(segments, seed), max: responses.Length).GetAwaiter().GetResult();

            Assert.Equal(responses.Length, outcomes.Count);
            for (var i = 0; i < responses.Length; i++)
            {
                Assert.Null(outcomes[i].Error);
                Assert.Equal(responses[i].Status, outcomes[i].Status);
                Assert.Equal(responses[i].Body, Encoding.Latin1.GetString(outcomes[i].Body));
                Assert.True(outcomes[i].Reusable);
            }
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Read_MutatedResponseBeforeAValidOne_NeverReadsAnythingButTheNextRealResponse()
    {
        var mutated =
            from first in Valid
            from second in Valid
            from edits in Gen.Select(Gen.Int[0, 2], Gen.Int[0, 10_000], Gen.Byte).Array[1, 3]
            from seed in Gen.Int
            select (First: first, Second: second, Bytes: Http1TestResponse.Mutate(first.Bytes, edits), Seed: seed);

        mutated.Sample(sample =>
        {
            var outcomes = Http1ResponseReading.ReadAllAsync(new TrickleStream([sample.Bytes, sample.Second.Bytes], sample.Seed), max: 2).GetAwaiter().GetResult();

            // Whatever the first read made of the damaged message, a connection kept after it yields
            // the peer's answer to the next request or a protocol error (bytes of the first one
            // still in flight): never a forged answer made of the first message's bytes.
            if (outcomes.Count == 2 && outcomes[1].Error is null)
            {
                Assert.True(outcomes[0].Reusable);
                Assert.Equal(sample.Second.Status, outcomes[1].Status);
                Assert.Equal(sample.Second.Body, Encoding.Latin1.GetString(outcomes[1].Body));
            }
        }, iter: Iterations, threads: 1);
    }
}
