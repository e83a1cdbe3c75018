using System.Text.Json;

namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// Reads Consul's JSON answers. Field names are Consul's (PascalCase); absent or null fields take
/// Consul's zero values so an older or newer agent with fewer or more fields still parses.
/// </summary>
internal static class ConsulJson
{
    public static IReadOnlyList<ConsulKvEntry> ReadKvEntries(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("expected a JSON array of KV entries");
        }

        var entries = new List<ConsulKvEntry>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var value = String(item, "Value");
            entries.Add(new ConsulKvEntry(
                String(item, "Key") ?? throw new JsonException("KV entry without Key"),
                value is null ? ReadOnlyMemory<byte>.Empty : Convert.FromBase64String(value),
                UInt64(item, "CreateIndex"),
                UInt64(item, "ModifyIndex"),
                UInt64(item, "LockIndex"),
                UInt64(item, "Flags"),
                String(item, "Session")));
        }

        return entries;
    }

    public static IReadOnlyList<ConsulServiceInstance> ReadHealthEntries(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("expected a JSON array of health entries");
        }

        var instances = new List<ConsulServiceInstance>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var node = Object(item, "Node");
            var service = Object(item, "Service") ?? throw new JsonException("health entry without Service");
            var serviceAddress = String(service, "Address");
            var nodeAddress = node is { } n ? String(n, "Address") : null;
            instances.Add(new ConsulServiceInstance(
                node is { } named ? String(named, "Node") ?? "" : "",
                String(service, "ID") ?? "",
                String(service, "Service") ?? "",
                string.IsNullOrEmpty(serviceAddress) ? nodeAddress ?? "" : serviceAddress,
                (int)UInt64(service, "Port"),
                ReadMeta(service),
                ReadWeights(service),
                WorstStatus(item)));
        }

        return instances;
    }

    private static Dictionary<string, string> ReadMeta(JsonElement service)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Object(service, "Meta") is { } element)
        {
            foreach (var property in element.EnumerateObject())
            {
                meta[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return meta;
    }

    private static ConsulServiceWeights ReadWeights(JsonElement service) =>
        Object(service, "Weights") is { } weights
            ? new ConsulServiceWeights((int)UInt64(weights, "Passing"), (int)UInt64(weights, "Warning"))
            : ConsulServiceWeights.Default;

    private static ConsulHealthStatus WorstStatus(JsonElement entry)
    {
        var worst = ConsulHealthStatus.Passing;
        if (entry.TryGetProperty("Checks", out var checks) && checks.ValueKind == JsonValueKind.Array)
        {
            foreach (var check in checks.EnumerateArray())
            {
                var status = String(check, "Status") switch
                {
                    "passing" => ConsulHealthStatus.Passing,
                    "warning" => ConsulHealthStatus.Warning,

                    // "critical", "maintenance" or anything unknown: not safe to send traffic to.
                    _ => ConsulHealthStatus.Critical,
                };
                if (status > worst)
                {
                    worst = status;
                }
            }
        }

        return worst;
    }

    private static JsonElement? Object(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static ulong UInt64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var number) ? number : 0;
}
