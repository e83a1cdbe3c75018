using System.Text;
using Slardar.Scriptable.Host.Proxy.Fast;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Proxy.Fast;

/// <summary>Hostile and edge-case responses through the fast path's reading steps.</summary>
public sealed class Http1ResponseReaderTests
{
    private static Task<List<Http1ReadOutcome>> ReadAsync(string response, int maxRead = 24, bool requestIsHead = false) =>
        Http1ResponseReading.ReadAllAsync(new TrickleStream(Encoding.Latin1.GetBytes(response), seed: 1) { MaxRead = maxRead }, max: 1, requestIsHead);

    [Fact]
    public async Task ReadHead_PeerTricklesTheHeadAByteAtATime_FailsAsHostileInsteadOfParsingForever()
    {
        var response = "HTTP/1.1 200 OK\r\n" + string.Concat(Enumerable.Repeat("X-Pad: 0123456789\r\n", 20)) + "Content-Length: 0\r\n\r\n";

        var outcome = (await ReadAsync(response, maxRead: 1)).Single();

        Assert.Contains("too many small pieces", outcome.Error);
        Assert.False(outcome.Reusable);
    }

    [Fact]
    public async Task ReadHead_SameHeadInReasonablePieces_Parses()
    {
        var response = "HTTP/1.1 200 OK\r\n" + string.Concat(Enumerable.Repeat("X-Pad: 0123456789\r\n", 20)) + "Content-Length: 2\r\n\r\nok";

        var outcome = (await ReadAsync(response, maxRead: 24)).Single();

        Assert.Null(outcome.Error);
        Assert.Equal("ok", Encoding.Latin1.GetString(outcome.Body));
        Assert.True(outcome.Reusable);
    }

    [Theory]
    [InlineData("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n")]
    [InlineData("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n")]
    public async Task ReadBody_NoBodyStatus_FramingHeadersIgnoredAndNothingRead(string response)
    {
        var outcome = (await ReadAsync(response)).Single();

        Assert.Null(outcome.Error);
        Assert.Empty(outcome.Body);
        Assert.Equal(Http1BodyFraming.None, outcome.Framing);
    }

    [Fact]
    public async Task ReadBody_HeadRequest_DeclaredLengthNotRead()
    {
        var outcome = (await ReadAsync("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", requestIsHead: true)).Single();

        Assert.Null(outcome.Error);
        Assert.Empty(outcome.Body);
        Assert.True(outcome.Reusable);
    }

    [Fact]
    public async Task ReadBody_ChunkedWithOversizedTrailers_ProtocolError()
    {
        var trailers = string.Concat(Enumerable.Repeat("X-T: " + new string('t', 100) + "\r\n", 20));

        var outcome = (await ReadAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n" + trailers + "\r\n")).Single();

        Assert.NotNull(outcome.Error);
        Assert.False(outcome.Reusable);
    }
}
