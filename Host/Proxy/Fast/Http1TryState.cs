namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>
/// What one try on the fast path needs besides the connection: the parsed head, the chunk decoder
/// and the send/read deadlines. Pooled by <see cref="Http1Client"/>, so a request allocates none of it.
/// </summary>
internal sealed class Http1TryState : IDisposable
{
    public Http1TryState(TimeProvider time)
    {
        Send = new Http1Deadline(time);
        Read = new Http1Deadline(time);
    }

    public Http1ResponseHead Head { get; } = new();

    public Http1ChunkedDecoder Chunked { get; } = new();

    public Http1Deadline Send { get; }

    public Http1Deadline Read { get; }

    public void Reset()
    {
        Head.Reset();
        Head.BytesSeen = false;
        Send.Reset();
        Read.Reset();
    }

    public void Dispose()
    {
        Send.Dispose();
        Read.Dispose();
    }
}
