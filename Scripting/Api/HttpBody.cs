using System.Text;

namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// A body a content script reads or sends on: text or bytes of the script's own, the client's
/// request body (<c>Request.Body</c>) or an upstream's response body (<c>UpstreamResponse.Body</c>,
/// lua-resty-httpipe's pipe). Bodies stream: sending one to an upstream, or answering with it, never
/// holds it whole in memory. A body streamed from the client or an upstream is kept while it is sent
/// (memory, then a temp file, up to the gateway's replay limit), so a retry or a second upstream gets
/// the same bytes; past that limit it can be streamed once only.
/// </summary>
public abstract class HttpBody
{
    // Scripts use the bodies the gateway gives them; only this assembly and the gateway make them.
    internal HttpBody()
    {
    }

    /// <summary>Length in bytes when known in advance (a Content-Length), else null.</summary>
    public abstract long? Length { get; }

    /// <summary>The body's content type when it carries one (text bodies: <c>text/plain; charset=utf-8</c>), else null.</summary>
    public virtual string? ContentType => null;

    /// <summary>Text as a body (UTF-8).</summary>
    public static implicit operator HttpBody(string text) => FromText(text);

    /// <summary>Bytes as a body.</summary>
    public static implicit operator HttpBody(byte[] bytes) => FromBytes(bytes);

    /// <summary>Text as a body (UTF-8), with an optional content type.</summary>
    public static HttpBody FromText(string text, string? contentType = "text/plain; charset=utf-8")
    {
        ArgumentNullException.ThrowIfNull(text);
        return new FixedHttpBody(Encoding.UTF8.GetBytes(text), contentType);
    }

    /// <summary>Bytes as a body, with an optional content type.</summary>
    public static HttpBody FromBytes(byte[] bytes, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new FixedHttpBody(bytes, contentType);
    }

    /// <summary>
    /// Reads the whole body as UTF-8 text. <paramref name="maxBytes"/> is mandatory: a longer body
    /// fails with <see cref="InvalidOperationException"/> instead of filling memory.
    /// </summary>
    public async Task<string> ReadAsStringAsync(int maxBytes) => Encoding.UTF8.GetString(await ReadAsBytesAsync(maxBytes).ConfigureAwait(false));

    /// <summary>Reads the whole body, up to <paramref name="maxBytes"/> (see <see cref="ReadAsStringAsync"/>).</summary>
    public Task<byte[]> ReadAsBytesAsync(int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (Length is { } length && length > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        return ReadAllAsync(maxBytes);
    }

    /// <summary>Whether the whole body can still be read from its first byte (for a retry or a second upstream).</summary>
    internal abstract bool CanReplay { get; }

    /// <summary>A stream over the body from its first byte. <paramref name="keepCopy"/>: the body will be sent, keep it for a retry.</summary>
    internal abstract Stream OpenRead(bool keepCopy);

    /// <summary>The whole body, failing past <paramref name="maxBytes"/>.</summary>
    internal abstract Task<byte[]> ReadAllAsync(int maxBytes);

    internal static InvalidOperationException TooLarge(int maxBytes) =>
        new($"The body is longer than the {maxBytes} bytes the script allowed (ReadAs...Async(maxBytes)).");
}
