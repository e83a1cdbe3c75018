namespace Slardar.Scriptable.Host.Hosting;

/// <summary>Parses <c>;</c>-separated listener URLs such as <c>http://0.0.0.0:8080;http://[::]:8080</c>.</summary>
internal static class ListenUrls
{
    /// <param name="allowHttps">Whether https:// URLs are accepted (listeners that can terminate TLS).</param>
    public static string[] Parse(string key, string? value, string fallback, bool allowHttps = false)
    {
        var text = string.IsNullOrWhiteSpace(value) ? fallback : value;
        var urls = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var url in urls)
        {
            // Kestrel accepts * and + as "any address"; Uri does not, so check a stand-in.
            var probe = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri)
                || !(uri.Scheme == Uri.UriSchemeHttp || (allowHttps && uri.Scheme == Uri.UriSchemeHttps))
                || uri.AbsolutePath != "/")
            {
                throw new InvalidOperationException(allowHttps
                    ? $"{key}: \"{url}\" is not an http://host:port or https://host:port URL"
                    : $"{key}: \"{url}\" is not an http://host:port URL");
            }
        }

        return urls;
    }

    /// <summary>Whether every URL binds to a loopback address only.</summary>
    public static bool AllLoopback(IEnumerable<string> urls) => urls.All(url =>
    {
        var host = new Uri(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal)).Host;
        return host == "localhost" || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));
    });
}
