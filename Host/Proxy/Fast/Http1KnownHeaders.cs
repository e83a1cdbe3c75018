using System.Text;

namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>
/// Header names a response carries on nearly every request, interned, so parsing them allocates no
/// string. Other names and all values are decoded as Latin-1 (RFC 9110 §5.5: obs-text is opaque).
/// </summary>
internal static class Http1KnownHeaders
{
    private const int MaxLookupLength = 64;

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Names = CreateLookup(
        "Accept-Ranges", "Age", "Allow", "Alt-Svc", "Cache-Control", "Content-Disposition", "Content-Encoding",
        "Content-Language", "Content-Location", "Content-Range", "Content-Type", "Date", "ETag", "Expires",
        "Keep-Alive", "Last-Modified", "Link", "Location", "Pragma", "Proxy-Authenticate", "Proxy-Connection",
        "Retry-After", "Server", "Set-Cookie", "Strict-Transport-Security", "Trailer", "Upgrade", "Vary", "Via",
        "WWW-Authenticate", "X-Content-Type-Options", "X-Frame-Options", "X-Powered-By", "X-Request-Id");

    public static string NameOf(ReadOnlySpan<byte> name)
    {
        if (name.Length <= MaxLookupLength)
        {
            Span<char> chars = stackalloc char[name.Length];
            Encoding.Latin1.GetChars(name, chars);
            return Names.TryGetValue(chars, out var known) ? known : new string(chars);
        }

        return Encoding.Latin1.GetString(name);
    }

    public static string ValueOf(ReadOnlySpan<byte> value) => value.Length == 0 ? string.Empty : Encoding.Latin1.GetString(value);

    private static Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> CreateLookup(params string[] names)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            map[name] = name;
        }

        return map.GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
