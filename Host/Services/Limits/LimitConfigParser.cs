using System.Text.Json;

namespace Slardar.Scriptable.Host.Services.Limits;

/// <summary>Reads a limit's JSON (scripts.json and Consul <c>config/limit</c> share the shape); unknown fields are errors.</summary>
internal static class LimitConfigParser
{
    public const double MaxRate = 1_000_000;
    public const int MaxBurst = 1_000_000;

    /// <param name="forHost">A host's limit may say what it counts by (<c>"key"</c>); a named one may not.</param>
    public static LimitConfig? Parse(string name, JsonElement element, bool forHost, out string? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "must be an object such as {\"rate\": 100, \"burst\": 20}";
            return null;
        }

        double? rate = null;
        var burst = 0;
        var scope = LimitScope.Local;
        var fallback = LimitFallback.Local;
        var key = LimitKeyKind.Ip;
        string? header = null;
        foreach (var field in element.EnumerateObject())
        {
            switch (field.Name)
            {
                case "rate":
                    if (field.Value.ValueKind != JsonValueKind.Number || !field.Value.TryGetDouble(out var r) || r <= 0 || r > MaxRate)
                    {
                        error = $"\"rate\" must be a number of requests per second in (0, {MaxRate}]";
                        return null;
                    }

                    rate = r;
                    break;
                case "burst":
                    if (field.Value.ValueKind != JsonValueKind.Number || !field.Value.TryGetInt32(out burst) || burst < 0 || burst > MaxBurst)
                    {
                        error = $"\"burst\" must be an integer in [0, {MaxBurst}]";
                        return null;
                    }

                    break;
                case "scope":
                    switch (field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null)
                    {
                        case "local": scope = LimitScope.Local; break;
                        case "cluster": scope = LimitScope.Cluster; break;
                        default:
                            error = "\"scope\" must be \"local\" or \"cluster\"";
                            return null;
                    }

                    break;
                case "fallback":
                    switch (field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null)
                    {
                        case "local": fallback = LimitFallback.Local; break;
                        case "open": fallback = LimitFallback.Open; break;
                        case "closed": fallback = LimitFallback.Closed; break;
                        default:
                            error = "\"fallback\" must be \"local\", \"open\" or \"closed\"";
                            return null;
                    }

                    break;
                case "key" when forHost:
                    var text = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null;
                    switch (text)
                    {
                        case "ip": key = LimitKeyKind.Ip; break;
                        case "host": key = LimitKeyKind.Host; break;
                        case "route": key = LimitKeyKind.Route; break;
                        case not null when text.StartsWith("header:", StringComparison.Ordinal) && text.Length > 7 && text.Length <= 256:
                            key = LimitKeyKind.Header;
                            header = text[7..];
                            break;
                        default:
                            error = "\"key\" must be \"ip\", \"host\", \"route\" or \"header:<Name>\"";
                            return null;
                    }

                    break;
                default:
                    error = $"unknown field \"{field.Name}\"";
                    return null;
            }
        }

        if (rate is null)
        {
            error = "\"rate\" is required";
            return null;
        }

        return new LimitConfig(name, rate.Value, burst) { Scope = scope, Fallback = fallback, Key = key, Header = header };
    }
}
