using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Slardar.Scriptable.Host.Streams;
using Slardar.Scriptable.Scripting;

namespace Slardar.Scriptable.Host.Routing;

/// <summary>scripts.json's TCP listeners: <c>"streams": {"127.0.0.1:6380": {"upstream": "redis-pool"}}</c> (issue 16).</summary>
internal static partial class ManifestParser
{
    private const int MaxStreams = 1024;
    private static readonly string StreamPhaseName = ScriptPhases.Of(ScriptPhase.Preread).Name;

    /// <returns>An error naming the entry, or null with <paramref name="streams"/> read.</returns>
    private static string? TryReadStreams(JsonElement element, string baseFolder, out ImmutableArray<StreamListenerConfig> streams)
    {
        streams = ImmutableArray<StreamListenerConfig>.Empty;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return "must be an object of listen address → {\"upstream\": ..., \"proxy_timeout\": ..., \"scripts\": {\"preread\": ...}, \"budget_ms\": ...}";
        }

        var builder = ImmutableArray.CreateBuilder<StreamListenerConfig>();
        var ports = new HashSet<int>();
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in element.EnumerateObject())
        {
            if (builder.Count >= MaxStreams)
            {
                return $"at most {MaxStreams} listeners";
            }

            if (!TryParseListenAddress(entry.Name, out var endPoint))
            {
                return $"\"{entry.Name}\" is not a listen address (\"127.0.0.1:6380\", \"[::1]:6380\", \"0.0.0.0:3307\" or a port)";
            }

            if (!addresses.Add(endPoint.ToString()))
            {
                return $"\"{entry.Name}\" is listed twice";
            }

            // Port 0 (an ephemeral port, for tests) has no script name; any other port names its scripts.
            if (endPoint.Port != 0 && !ports.Add(endPoint.Port))
            {
                return $"\"{entry.Name}\": port {endPoint.Port} is listed twice (a listener's scripts are named by its port)";
            }

            var config = ParseStream(entry.Value, endPoint, baseFolder, out var error);
            if (config is null)
            {
                return $"{entry.Name}: {error}";
            }

            builder.Add(config);
        }

        streams = builder.ToImmutable();
        return null;
    }

    /// <summary><c>host:port</c> with an IP literal (<c>[v6]:port</c>), or a bare port (every IPv4 address, as nginx's <c>listen 6380</c>).</summary>
    public static bool TryParseListenAddress(string text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        text = text.Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bare))
        {
            if (bare is < 1 or > 65535)
            {
                return false;
            }

            endPoint = new IPEndPoint(IPAddress.Any, bare);
            return true;
        }

        // IPEndPoint.TryParse takes "1.2.3.4" without a port too (port 0): a port is required here.
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1 || (text.Contains('[', StringComparison.Ordinal) && text[colon - 1] != ']'))
        {
            return false;
        }

        if (!IPEndPoint.TryParse(text, out var parsed) || parsed.Port is < 0 or > 65535)
        {
            return false;
        }

        endPoint = parsed;
        return true;
    }

    private static StreamListenerConfig? ParseStream(JsonElement element, IPEndPoint endPoint, string baseFolder, out string? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "must be an object";
            return null;
        }

        string? upstream = null;
        string? preread = null;
        var proxyTimeout = StreamListenerConfig.DefaultProxyTimeout;
        TimeSpan? maxSessionTime = null;
        var prereadBytes = StreamListenerConfig.MaxPrereadBytes;
        var prereadTimeout = StreamListenerConfig.DefaultPrereadTimeout;
        var maxSessions = 10_000;
        var trusted = false;
        TimeSpan? budget = null;
        long? allocationBudget = null;
        foreach (var field in element.EnumerateObject())
        {
            switch (field.Name)
            {
                case "upstream":
                    if (field.Value.ValueKind != JsonValueKind.String || !IsValidUpstreamName(field.Value.GetString()))
                    {
                        error = "\"upstream\" must be an upstream name (letters, digits, '-', '_', '.')";
                        return null;
                    }

                    upstream = field.Value.GetString();
                    break;
                case "proxy_timeout":
                    if (!TryReadSeconds(field.Value, max: 7 * 24 * 3600, out proxyTimeout))
                    {
                        error = "\"proxy_timeout\" must be a number of seconds in (0, 604800]";
                        return null;
                    }

                    break;
                case "max_session_time":
                    if (!TryReadSeconds(field.Value, max: 30 * 24 * 3600, out var maxTime))
                    {
                        error = "\"max_session_time\" must be a number of seconds in (0, 2592000]";
                        return null;
                    }

                    maxSessionTime = maxTime;
                    break;
                case "preread_timeout":
                    if (!TryReadSeconds(field.Value, max: 3600, out prereadTimeout))
                    {
                        error = "\"preread_timeout\" must be a number of seconds in (0, 3600]";
                        return null;
                    }

                    break;
                case "preread_bytes":
                    if (!TryReadInteger(field.Value, 0, StreamListenerConfig.MaxPrereadBytes, out prereadBytes))
                    {
                        error = $"\"preread_bytes\" must be an integer in [0, {StreamListenerConfig.MaxPrereadBytes}]";
                        return null;
                    }

                    break;
                case "max_sessions":
                    if (!TryReadInteger(field.Value, 1, 1_000_000, out maxSessions))
                    {
                        error = "\"max_sessions\" must be an integer in [1, 1000000]";
                        return null;
                    }

                    break;
                case "trusted" or "budget_ms" or "budget_mb":
                    if (!TryReadScriptOption(field, ref trusted, ref budget, ref allocationBudget, out error))
                    {
                        return null;
                    }

                    break;
                case "scripts":
                    if (!TryReadStreamScripts(field.Value, baseFolder, out preread, out error))
                    {
                        return null;
                    }

                    break;
                default:
                    error = $"unknown field \"{field.Name}\"";
                    return null;
            }
        }

        if (upstream is null && preread is null && endPoint.Port == 0)
        {
            error = "\"upstream\" is required (a listener on port 0 has no preread script to choose one)";
            return null;
        }

        return new StreamListenerConfig(endPoint.ToString(), endPoint, upstream)
        {
            ProxyTimeout = proxyTimeout,
            MaxSessionTime = maxSessionTime,
            PrereadBytes = prereadBytes,
            PrereadTimeout = prereadTimeout,
            MaxSessions = maxSessions,
            PrereadScriptFile = preread,
            Trusted = trusted,
            Budget = budget,
            AllocationBudget = allocationBudget,
        };
    }

    private static bool TryReadStreamScripts(JsonElement element, string baseFolder, out string? preread, out string? error)
    {
        preread = null;
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "\"scripts\" must be an object, e.g. {\"preread\": \"ops/route.csx\"}";
            return false;
        }

        foreach (var phase in element.EnumerateObject())
        {
            if (phase.Name != StreamPhaseName)
            {
                error = $"scripts: unknown phase \"{phase.Name}\" (a stream listener has \"{StreamPhaseName}\")";
                return false;
            }

            if (phase.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(phase.Value.GetString()))
            {
                error = $"scripts.{StreamPhaseName} must be a file path";
                return false;
            }

            preread = Path.GetFullPath(phase.Value.GetString()!, baseFolder);
        }

        return true;
    }

    private static bool TryReadSeconds(JsonElement value, double max, out TimeSpan seconds)
    {
        seconds = default;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !(number > 0) || number > max)
        {
            return false;
        }

        seconds = TimeSpan.FromSeconds(number);
        return true;
    }

    private static bool TryReadInteger(JsonElement value, int min, int max, out int number)
    {
        number = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out number) && number >= min && number <= max;
    }
}
