namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>How a response's body ends (RFC 9112 §6.3).</summary>
internal enum Http1BodyFraming
{
    /// <summary>No body: HEAD, 1xx, 204, 304, or Content-Length 0.</summary>
    None,

    ContentLength,

    Chunked,

    /// <summary>Until the peer closes the connection: never reusable.</summary>
    CloseDelimited,
}
