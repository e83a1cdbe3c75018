namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>
/// Puts a peer's response head on the client's response: status and fields, minus hop-by-hop ones
/// and those the peer's Connection names (<see cref="ForwardingHeaderRules"/>). Framing is Kestrel's:
/// a Content-Length is kept, a chunked or close-delimited body goes out chunked (or as HTTP/2 frames).
/// </summary>
internal static class Http1ResponseCopier
{
    public static void CopyHead(Http1ResponseHead head, HttpResponse response, bool requestIsHead)
    {
        response.StatusCode = head.StatusCode;
        var headers = response.Headers;
        var fields = head.Fields;
        for (var i = 0; i < fields.Count; i++)
        {
            var (name, value) = fields[i];
            if (ForwardingHeaderRules.IsHopByHop(name) || ForwardingHeaderRules.IsPeerOnlyResponseField(name) || (head.IsConnectionOption(name) && ForwardingHeaderRules.IsRemovableOption(name)))
            {
                continue;
            }

            // Kestrel refuses values it cannot send (non-ASCII): that surfaces as a failed try, a 502.
            headers.Append(name, value);
        }

        if (head.Framing == Http1BodyFraming.ContentLength || (head.ContentLength >= 0 && (requestIsHead || head.Framing == Http1BodyFraming.None) && head.StatusCode is not (204 or 304) and >= 200))
        {
            response.ContentLength = head.ContentLength;
        }
    }
}
