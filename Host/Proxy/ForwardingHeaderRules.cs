using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// The header rules every forwarding path applies (YARP's transformer and the fast HTTP/1.1 path):
/// which headers belong to one hop only, the client address appended to X-Forwarded-For and the
/// scheme in X-Forwarded-Proto. One place, so the two paths cannot drift apart.
/// </summary>
internal static class ForwardingHeaderRules
{
    public const string ForwardedForHeader = "X-Forwarded-For";
    public const string ForwardedProtoHeader = "X-Forwarded-Proto";

    /// <summary>
    /// RFC 9110 §7.6.1 hop-by-hop fields plus the proxy ones YARP drops; the fast path drops them
    /// itself (YARP's forwarder does so for its own path).
    /// </summary>
    public static bool IsHopByHop(ReadOnlySpan<char> name) => name.Length switch
    {
        2 => name.Equals("TE", StringComparison.OrdinalIgnoreCase),
        7 => name.Equals("Trailer", StringComparison.OrdinalIgnoreCase) || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase),
        10 => name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase),
        16 => name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase),
        17 => name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase),
        18 => name.Equals("Proxy-Authenticate", StringComparison.OrdinalIgnoreCase),
        19 => name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>A response field about the peer's own endpoint, not the gateway's (YARP drops it too): Alt-Svc would send clients around the gateway.</summary>
    public static bool IsPeerOnlyResponseField(ReadOnlySpan<char> name) => name.Equals("Alt-Svc", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether a name found in a <c>Connection</c> header is to be removed. Upgrade stays: YARP
    /// forwards a WebSocket's Upgrade itself. The gateway sets Host, and Host is no hop-by-hop
    /// header whatever a client says.
    /// </summary>
    public static bool IsRemovableOption(ReadOnlySpan<char> name) =>
        name.Length > 0
        && !name.Equals(HeaderNames.Upgrade, StringComparison.OrdinalIgnoreCase)
        && !name.Equals(HeaderNames.Host, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="name"/> is one of the options a <c>Connection</c> header lists (and is removable).</summary>
    /// <remarks>
    /// A request's value comes through <see cref="ConnectionHeaderCapture.Effective"/>: Kestrel
    /// collapses <c>Connection: close, X-Secret</c> to <c>close</c>.
    /// </remarks>
    public static bool IsNamedIn(StringValues connection, ReadOnlySpan<char> name)
    {
        if (connection.Count == 0 || !IsRemovableOption(name))
        {
            return false;
        }

        for (var i = 0; i < connection.Count; i++)
        {
            if (IsListedIn(connection[i], name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the comma-separated <paramref name="list"/> has <paramref name="name"/> as one of its tokens.</summary>
    public static bool IsListedIn(ReadOnlySpan<char> list, ReadOnlySpan<char> name)
    {
        foreach (var range in list.Split(','))
        {
            if (list[range].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Request headers a forwarder writes itself rather than copying the client's: Host (kept from the request), the X-Forwarded pair.</summary>
    public static bool IsSetByForwarder(ReadOnlySpan<char> name) =>
        name.Equals("Host", StringComparison.OrdinalIgnoreCase)
        || name.Equals(ForwardedForHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(ForwardedProtoHeader, StringComparison.OrdinalIgnoreCase);

    /// <summary>Between the client's own X-Forwarded-For and the address appended to it.</summary>
    public const string ForwardedForSeparator = ", ";

    /// <summary>The X-Forwarded-For to send: the client's own value with the client's address appended.</summary>
    public static string ForwardedFor(string existing, string clientIp) => existing.Length == 0 ? clientIp : existing + ForwardedForSeparator + clientIp;
}
