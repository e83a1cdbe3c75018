namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// An upstream's answer as a content script sees it, once its headers have arrived: the body streams
/// on demand (<see cref="Body"/>, <see cref="ReadAsStringAsync"/>, or <c>Respond(response)</c> to
/// stream it to the client). Disposing it frees the connection; the gateway disposes what the script
/// leaves when the request ends.
/// </summary>
public sealed class UpstreamResponse : IDisposable
{
    private readonly IDisposable? _owner;

    internal UpstreamResponse(int status, UpstreamHeaders headers, HttpBody body, Peer? peer, IDisposable? owner)
    {
        Status = status;
        Headers = headers;
        Body = body;
        Peer = peer;
        _owner = owner;
    }

    /// <summary>The status the peer answered with.</summary>
    public int Status { get; }

    /// <summary>The response's end-to-end headers (hop-by-hop ones and the body's framing left out); changes go out with <c>Respond</c>.</summary>
    public UpstreamHeaders Headers { get; }

    /// <summary>The response body, streamed on demand; may be sent on as another request's body.</summary>
    public HttpBody Body { get; }

    /// <summary>The peer that answered; null for an absolute URL (trusted hosts).</summary>
    public Peer? Peer { get; }

    /// <summary>The body as UTF-8 text, up to <paramref name="maxBytes"/> (mandatory: no unbounded buffering).</summary>
    public Task<string> ReadAsStringAsync(int maxBytes) => Body.ReadAsStringAsync(maxBytes);

    /// <summary>The body's bytes, up to <paramref name="maxBytes"/>.</summary>
    public Task<byte[]> ReadAsBytesAsync(int maxBytes) => Body.ReadAsBytesAsync(maxBytes);

    public void Dispose() => _owner?.Dispose();
}
