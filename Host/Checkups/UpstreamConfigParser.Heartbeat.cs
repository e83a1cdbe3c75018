using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Slardar.Scriptable.Host.Checkups.Probes;
using static Slardar.Scriptable.Host.Checkups.UpstreamConfigErrors;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>The heartbeat fields of an upstream (<c>typ</c>, <c>http_opts</c>, <c>protected</c>, ...).</summary>
internal sealed partial class UpstreamConfigParser
{
    private static readonly ImmutableArray<string> HeartbeatFields =
        ["typ", "http_opts", "protected", "sensibility", "rise", "name", "user", "pass", "charset"];

    private static bool IsHeartbeatField(string name) => HeartbeatFields.Contains(name);

    /// <summary>Applies one heartbeat field to <paramref name="heartbeat"/>.</summary>
    private HeartbeatConfig ReadHeartbeatField(HeartbeatConfig heartbeat, string path, JsonElement value) => path switch
    {
        "typ" => heartbeat with { Type = ReadHeartbeatType(value, path) },
        "http_opts" => ReadHttpOptions(heartbeat, value, path),
        "protected" => heartbeat with { Protected = ReadBoolean(value, path) },
        "sensibility" => heartbeat with { Sensibility = ReadInteger(value, path, 1, 100, "an integer in 1..100") },
        "rise" => heartbeat with { Rise = ReadInteger(value, path, 1, 100, "an integer in 1..100") },
        "name" => heartbeat with { MysqlDatabase = ReadText(value, path) },
        "user" => heartbeat with { MysqlUser = ReadText(value, path) },
        "pass" => heartbeat with { MysqlPassword = ReadText(value, path) },
        "charset" => heartbeat with { MysqlCharset = ReadText(value, path) },
        _ => throw new UpstreamConfigException(UnknownField(path)),
    };

    private static string ReadHeartbeatType(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String && ProbeRegistry.IsKnown(value.GetString())
            ? value.GetString()!
            : throw new UpstreamConfigException($"{path}: must be one of {string.Join(", ", ProbeTypes.All)}");

    private HeartbeatConfig ReadHttpOptions(HeartbeatConfig heartbeat, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new UpstreamConfigException(Must(path, "an object with \"query\" and/or \"statuses\""));
        }

        foreach (var property in value.EnumerateObject())
        {
            var fieldPath = $"{path}.{property.Name}";
            heartbeat = property.Name switch
            {
                "query" => heartbeat with { HttpQuery = ReadText(property.Value, fieldPath) },
                "statuses" => heartbeat with { HttpFailureStatuses = ReadFailureStatuses(property.Value, fieldPath) },
                _ => throw new UpstreamConfigException(UnknownField(fieldPath)),
            };
        }

        return heartbeat;
    }

    /// <summary>checkups' shape: <c>{"502": false, "503": false}</c>; a code mapped to true is allowed and means "fine".</summary>
    private ImmutableHashSet<int> ReadFailureStatuses(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new UpstreamConfigException(Must(path, "an object mapping status codes to false, e.g. {\"502\": false}"));
        }

        var failures = ImmutableHashSet.CreateBuilder<int>();
        foreach (var property in value.EnumerateObject())
        {
            var fieldPath = $"{path}.{property.Name}";
            if (!int.TryParse(property.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 100 or > 599)
            {
                throw new UpstreamConfigException($"{fieldPath}: the key must be an HTTP status code in 100..599");
            }

            if (!ReadBoolean(property.Value, fieldPath))
            {
                failures.Add(code);
            }
        }

        return failures.ToImmutable();
    }

    private static string ReadText(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new UpstreamConfigException(Must(path, "a string"));
}
