using System.Text;
using Microsoft.Extensions.Primitives;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// The request's <c>Connection</c> header as the client sent it. Kestrel (HttpRequestHeaders.ParseConnection)
/// replaces a value whose only known option is close, keep-alive or upgrade by that bare option, so
/// the <c>X-Secret</c> of <c>Connection: close, X-Secret</c> would be gone before the gateway could
/// drop the header it names (RFC 9110 §7.6.1) and would be forwarded. Kestrel decodes that header's
/// bytes with this encoding (its <c>RequestHeaderEncodingSelector</c>), which keeps the decoded text
/// in the request's async flow; <see cref="Effective"/> prefers it while it agrees with Kestrel's value.
/// HTTP/1.x only: HTTP/2 and HTTP/3 refuse the header altogether.
/// </summary>
internal sealed class ConnectionHeaderCapture : Encoding
{
    public static readonly ConnectionHeaderCapture Instance = new();

    private static readonly AsyncLocal<string?> Decoded = new();

    private ConnectionHeaderCapture()
    {
    }

    /// <summary>Kestrel's request header encoding selector: this encoding for <c>Connection</c>, the default for the rest.</summary>
    public static Encoding? Select(string headerName) =>
        headerName.Equals("Connection", StringComparison.OrdinalIgnoreCase) ? Instance : null;

    /// <summary>
    /// The options the client's <c>Connection</c> header listed: the captured text when Kestrel collapsed
    /// it to one option the text also lists, else Kestrel's value.
    /// </summary>
    public static StringValues Effective(StringValues kestrel)
    {
        if (kestrel.Count != 1 || Decoded.Value is not { } raw || raw.Length == kestrel[0]!.Length)
        {
            return kestrel;
        }

        // A capture from another request of the flow would not list the option Kestrel kept.
        return ForwardingHeaderRules.IsListedIn(raw, kestrel[0]) ? new StringValues(raw) : kestrel;
    }

    public override int GetByteCount(char[] chars, int index, int count) => Latin1.GetByteCount(chars, index, count);

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) =>
        Latin1.GetBytes(chars, charIndex, charCount, bytes, byteIndex);

    public override int GetCharCount(byte[] bytes, int index, int count) => count;

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex)
    {
        var count = Latin1.GetChars(bytes, byteIndex, byteCount, chars, charIndex);
        Decoded.Value = new string(chars, charIndex, count);
        return count;
    }

    public override int GetChars(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        var count = Latin1.GetChars(bytes, chars);
        Decoded.Value = new string(chars[..count]);
        return count;
    }

    public override string GetString(byte[] bytes, int index, int count)
    {
        var text = Latin1.GetString(bytes, index, count);
        Decoded.Value = text;
        return text;
    }

    public override int GetMaxByteCount(int charCount) => charCount;

    public override int GetMaxCharCount(int byteCount) => byteCount;
}
