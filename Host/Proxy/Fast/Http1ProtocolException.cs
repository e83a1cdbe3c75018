namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>
/// What a peer sent is not a well-formed HTTP/1.1 response (RFC 9112), or it ended mid-message. The
/// try fails with a 502 and the connection is discarded: nothing after a framing error is trusted.
/// </summary>
internal sealed class Http1ProtocolException : Exception
{
    public Http1ProtocolException(string message)
        : base(message)
    {
    }

    public Http1ProtocolException()
        : base("malformed response")
    {
    }

    public Http1ProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
