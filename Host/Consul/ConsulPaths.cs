using System.Globalization;
using System.Text;

namespace Slardar.Scriptable.Host.Consul;

/// <summary>Builds the relative URLs of Consul's HTTP API v1.</summary>
internal static class ConsulPaths
{
    /// <summary><c>v1/kv/&lt;key&gt;</c> with each segment escaped and the slashes kept (a trailing one too).</summary>
    public static string Kv(string key) => "v1/kv/" + EscapeSegments(key);

    public static string HealthService(string name) => "v1/health/service/" + Uri.EscapeDataString(name);

    /// <summary>
    /// The blocking part of a query. Index 0 means "a plain read": Consul answers at once, so no
    /// wait is sent. The wait is capped at Consul's documented 10 minutes and sent in
    /// milliseconds (Consul parses Go durations, which accept <c>ms</c>).
    /// </summary>
    public static string Blocking(ulong index, TimeSpan wait)
    {
        if (index == 0)
        {
            return "";
        }

        var capped = wait > ConsulOptions.MaxBlockingWait ? ConsulOptions.MaxBlockingWait : wait;
        var builder = new StringBuilder("index=").Append(index.ToString(CultureInfo.InvariantCulture));
        if (capped > TimeSpan.Zero)
        {
            builder.Append("&wait=").Append(((long)capped.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)).Append("ms");
        }

        return builder.ToString();
    }

    /// <summary>Joins query parts, skipping empty ones.</summary>
    public static string WithQuery(string path, params string[] parts)
    {
        var query = string.Join('&', parts.Where(p => p.Length > 0));
        return query.Length == 0 ? path : path + "?" + query;
    }

    private static string EscapeSegments(string key) =>
        string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
}
