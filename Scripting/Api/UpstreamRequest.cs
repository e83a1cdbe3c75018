namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// A request a content script sends to an upstream peer (<c>Http.SendAsync</c>). The script decides
/// what goes out: no client header is copied unless it asks (<see cref="UpstreamHeaders.CopyEndToEnd"/>).
/// The Host header is the peer's address unless <see cref="Headers"/> sets one.
/// </summary>
public sealed class UpstreamRequest
{
    /// <param name="method">The method, e.g. GET (upper-cased).</param>
    /// <param name="pathAndQuery">Path and query, starting with '/': never a scheme, host or port (the peer decides those).</param>
    public UpstreamRequest(string method, string pathAndQuery)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        foreach (var c in method)
        {
            if (!char.IsAsciiLetter(c))
            {
                throw new ArgumentException($"\"{method}\" is not an HTTP method.", nameof(method));
            }
        }

        if (pathAndQuery.Length == 0 || pathAndQuery[0] != '/' || pathAndQuery.StartsWith("//", StringComparison.Ordinal))
        {
            throw new ArgumentException($"\"{pathAndQuery}\" must be a path starting with one '/' (the peer is chosen apart, never by the path).", nameof(pathAndQuery));
        }

        foreach (var c in pathAndQuery)
        {
            if (c is <= ' ' or '\x7f')
            {
                throw new ArgumentException("A path cannot hold spaces or control characters (encode them).", nameof(pathAndQuery));
            }
        }

        Method = method.ToUpperInvariant();
        PathAndQuery = pathAndQuery;
    }

    public string Method { get; }

    public string PathAndQuery { get; }

    public UpstreamHeaders Headers { get; } = new();

    /// <summary>
    /// What is sent as the body: null (none), text or bytes (implicit conversions), the client's
    /// <c>Request.Body</c>, or another response's <c>Body</c> (streamed from one upstream into the next).
    /// </summary>
    public HttpBody? Body { get; set; }
}
