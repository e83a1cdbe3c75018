namespace Slardar.Scriptable.Host.Checkups.Balancing;

/// <summary>The key a hashing <see cref="BalancingMode"/> hashes, from what a request offers.</summary>
internal static class BalancingKey
{
    /// <summary>The request header <see cref="BalancingMode.HeaderHash"/> reads (checkups' <c>$http_x_hash_key</c>).</summary>
    public const string HeaderName = "X-Hash-Key";

    /// <summary>
    /// The key for <paramref name="mode"/>, or null when the mode does not hash (or, for
    /// <c>ip_hash</c>, when there is no client IP: then the level falls back to round robin, as
    /// nginx's ip_hash does for non-IP clients). The fallbacks follow checkups: <c>hash</c> without
    /// a caller key and <c>header_hash</c> without the header hash the URI path.
    /// </summary>
    /// <param name="mode">The upstream's mode.</param>
    /// <param name="path">The request's URI path, without the query (nginx's <c>$uri</c>).</param>
    /// <param name="clientIp">The client's address, textual.</param>
    /// <param name="xHashKey">The <c>X-Hash-Key</c> header's value, if any.</param>
    /// <param name="callerKey">A key chosen by the caller (a script), for <see cref="BalancingMode.Hash"/>.</param>
    public static string? For(BalancingMode mode, string path, string? clientIp, string? xHashKey, string? callerKey = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return mode switch
        {
            BalancingMode.Hash => string.IsNullOrEmpty(callerKey) ? path : callerKey,
            BalancingMode.UrlHash => path,
            BalancingMode.IpHash => string.IsNullOrEmpty(clientIp) ? null : clientIp,
            BalancingMode.HeaderHash => string.IsNullOrEmpty(xHashKey) ? path : xHashKey,
            _ => null,
        };
    }
}
