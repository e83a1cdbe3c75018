namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>What one step of <see cref="Http1ChunkedDecoder"/> produced.</summary>
internal enum Http1ChunkStep
{
    /// <summary>Body bytes to pass on.</summary>
    Data,

    /// <summary>The buffer ends inside a chunk line or its CRLF: read more.</summary>
    NeedMore,

    /// <summary>The last chunk and the trailer section were read: the message ended cleanly.</summary>
    Done,
}
