namespace Slardar.Scriptable.Host.Proxy;

/// <summary>Parses nginx-style condition lists such as <c>"error timeout http_502"</c>.</summary>
internal static class NextUpstreamParser
{
    public const string SlardarDefault = "error timeout http_502";

    public static bool TryParse(string text, out NextUpstreamConditions conditions, out string? error)
    {
        conditions = NextUpstreamConditions.Off;
        error = null;
        var sawOff = false;
        foreach (var token in text.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var flag = token.ToLowerInvariant() switch
            {
                "off" => NextUpstreamConditions.Off,
                "error" => NextUpstreamConditions.Error,
                "timeout" => NextUpstreamConditions.Timeout,
                "http_500" => NextUpstreamConditions.Http500,
                "http_502" => NextUpstreamConditions.Http502,
                "http_503" => NextUpstreamConditions.Http503,
                "http_504" => NextUpstreamConditions.Http504,
                "http_429" => NextUpstreamConditions.Http429,
                "http_403" => NextUpstreamConditions.Http403,
                "http_404" => NextUpstreamConditions.Http404,
                "non_idempotent" => NextUpstreamConditions.NonIdempotent,
                _ => (NextUpstreamConditions?)null,
            };
            if (flag is null)
            {
                error = $"unknown next_upstream condition \"{token}\" (known: error timeout http_500 http_502 http_503 http_504 http_429 http_403 http_404 non_idempotent off)";
                return false;
            }

            sawOff |= token.Equals("off", StringComparison.OrdinalIgnoreCase);
            conditions |= flag.Value;
        }

        if (sawOff && conditions != NextUpstreamConditions.Off)
        {
            error = "next_upstream \"off\" cannot be combined with other conditions";
            return false;
        }

        return true;
    }

    /// <summary>The condition a response status matches, or <see cref="NextUpstreamConditions.Off"/>.</summary>
    public static NextUpstreamConditions ForStatus(int status) => status switch
    {
        500 => NextUpstreamConditions.Http500,
        502 => NextUpstreamConditions.Http502,
        503 => NextUpstreamConditions.Http503,
        504 => NextUpstreamConditions.Http504,
        429 => NextUpstreamConditions.Http429,
        403 => NextUpstreamConditions.Http403,
        404 => NextUpstreamConditions.Http404,
        _ => NextUpstreamConditions.Off,
    };
}
