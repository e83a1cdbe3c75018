using System.IO.Pipelines;
using Slardar.Scriptable.Host.Proxy.Fast;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Proxy.Fast;

/// <summary>
/// Reads responses off bytes exactly as the fast transport reads them off a connection (head, body,
/// clean end), and says what the transport would have done: passed on a message, and kept or
/// dropped the connection.
/// </summary>
internal static class Http1ResponseReading
{
    public static readonly Http1ClientOptions Options = new() { MaxHeaderBytes = 1024, MaxChunkLineBytes = 64 };

    /// <summary>
    /// Reads messages until one fails or the connection would not be reused (at most <paramref name="max"/>);
    /// before each message after the first, the source's next segment arrives (the peer's answer to the next request).
    /// </summary>
    public static async Task<List<Http1ReadOutcome>> ReadAllAsync(TrickleStream source, int max, bool requestIsHead = false)
    {
        var upstream = PipeReader.Create(source, new StreamPipeReaderOptions(bufferSize: 64, minimumReadSize: 16));
        var outcomes = new List<Http1ReadOutcome>();
        while (outcomes.Count < max)
        {
            if (outcomes.Count > 0 && !source.NextSegment())
            {
                break;
            }

            var outcome = await ReadOneAsync(upstream, requestIsHead);
            outcomes.Add(outcome);
            if (!outcome.Reusable)
            {
                break;
            }
        }

        return outcomes;
    }

    private static async Task<Http1ReadOutcome> ReadOneAsync(PipeReader upstream, bool requestIsHead)
    {
        var head = new Http1ResponseHead();
        var sink = new MemoryStream();
        var client = PipeWriter.Create(sink);
        try
        {
            await Http1ResponseReader.ReadHeadAsync(upstream, head, requestIsHead, Options, deadline: null, Timeout.InfiniteTimeSpan);
            var taken = await Http1ResponseReader.CopyBodyAsync(upstream, head, client, new Http1ChunkedDecoder(), Options, deadline: null, Timeout.InfiniteTimeSpan);
            await client.FlushAsync();
            var reusable = taken && Http1ResponseReader.EndedCleanly(upstream, head);
            return new Http1ReadOutcome(head.StatusCode, sink.ToArray(), reusable, head.Framing, Error: null);
        }
        catch (Http1ProtocolException ex)
        {
            return new Http1ReadOutcome(0, sink.ToArray(), Reusable: false, head.Framing, ex.Message);
        }
    }
}
