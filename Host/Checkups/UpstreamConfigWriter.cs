using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Host.Checkups.Outliers;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// Writes an <see cref="UpstreamConfig"/> back as Slardar's JSON: the canonical form the store
/// keeps and GET /upstream shows. Always <c>cluster</c> (never the <c>servers</c> shorthand), every
/// peer field spelled out, optional upstream fields only when set. Parsing the output gives the
/// same config back.
/// </summary>
internal static class UpstreamConfigWriter
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static string ToJson(UpstreamConfig config) => ToJsonObject(config).ToJsonString(Compact);

    public static JsonObject ToJsonObject(UpstreamConfig config)
    {
        // The definition, not the peers Consul supplied: those are live state (GET /status shows them).
        var json = config.ConsulService is { } service
            ? new JsonObject { [UpstreamFields.ConsulService] = service }
            : new JsonObject { [UpstreamFields.Cluster] = Cluster(config) };
        if (config.Mode != BalancingMode.RoundRobin)
        {
            json[UpstreamFields.Mode] = config.Mode.Name();
        }

        if (config.Tries is { } tries)
        {
            json[UpstreamFields.Try] = tries;
        }

        if (config.TryTimeout is { } tryTimeout)
        {
            json[UpstreamFields.TryTimeout] = Seconds(tryTimeout);
        }

        if (config.NextUpstream is { } nextUpstream)
        {
            json[UpstreamFields.NextUpstream] = NextUpstreamParser.Format(nextUpstream);
        }

        if (config.ConnectTimeout is { } timeout)
        {
            json[UpstreamFields.Timeout] = Seconds(timeout);
        }

        if (config.Tls is { } tls)
        {
            json[UpstreamFields.Scheme] = "https";
            if (tls.Sni is not null)
            {
                json[UpstreamFields.Sni] = tls.Sni;
            }

            if (tls.CaPem is not null)
            {
                json[UpstreamFields.Ca] = tls.CaPem;
            }

            json[UpstreamFields.Verify] = tls.Verify;
        }

        if (config.Http2)
        {
            json[UpstreamFields.Http2] = true;
        }

        json[UpstreamFields.Enable] = config.Enable;
        WriteHeartbeat(json, config.Heartbeat);
        if (config.Outlier != OutlierOptions.Default)
        {
            json[UpstreamFields.Outlier] = Outlier(config.Outlier);
        }

        return json;
    }

    private static JsonNode Cluster(UpstreamConfig config)
    {
        // Named clusters stay an object keyed by level name, in declaration order.
        JsonNode cluster = config.HasNamedLevels ? new JsonObject() : new JsonArray();
        foreach (var level in config.Levels)
        {
            var servers = new JsonArray();
            foreach (var peer in level.Servers)
            {
                servers.Add(new JsonObject
                {
                    [UpstreamFields.Host] = peer.Host,
                    [UpstreamFields.Port] = peer.Port,
                    [UpstreamFields.Weight] = peer.Weight,
                    [UpstreamFields.MaxFails] = peer.MaxFails,
                    [UpstreamFields.FailTimeout] = Seconds(peer.FailTimeout),
                });
            }

            var levelJson = new JsonObject { [UpstreamFields.Servers] = servers };
            if (cluster is JsonObject named)
            {
                named[level.Name!] = levelJson;
            }
            else
            {
                cluster.AsArray().Add(levelJson);
            }
        }

        return cluster;
    }

    // Every field spelled out once any differs, so the stored version reads on its own.
    private static JsonObject Outlier(OutlierOptions options) => new()
    {
        [UpstreamFields.Enable] = options.Enabled,
        [UpstreamFields.Window] = Seconds(options.Window),
        [UpstreamFields.MinRequests] = options.MinRequests,
        [UpstreamFields.Factor] = options.Factor,
        [UpstreamFields.Consecutive5xx] = options.Consecutive5xx,
        [UpstreamFields.MaxEjectionPercent] = options.MaxEjectionPercent,
        [UpstreamFields.BaseEjectionTime] = Seconds(options.BaseEjectionTime),
        [UpstreamFields.MaxEjectionTime] = Seconds(options.MaxEjectionTime),
        [UpstreamFields.PanicThreshold] = options.PanicThreshold,
    };

    private static void WriteHeartbeat(JsonObject json, HeartbeatConfig heartbeat)
    {
        var defaults = HeartbeatConfig.Default;
        json["typ"] = heartbeat.Type;
        if (heartbeat.HttpQuery is not null || heartbeat.HttpFailureStatuses.Count > 0)
        {
            var options = new JsonObject();
            if (heartbeat.HttpQuery is { } query)
            {
                options["query"] = query;
            }

            if (heartbeat.HttpFailureStatuses.Count > 0)
            {
                var statuses = new JsonObject();
                foreach (var code in heartbeat.HttpFailureStatuses.Order())
                {
                    statuses[code.ToString(CultureInfo.InvariantCulture)] = false;
                }

                options["statuses"] = statuses;
            }

            json["http_opts"] = options;
        }

        if (heartbeat.Protected != defaults.Protected)
        {
            json["protected"] = heartbeat.Protected;
        }

        if (heartbeat.Sensibility != defaults.Sensibility)
        {
            json["sensibility"] = heartbeat.Sensibility;
        }

        if (heartbeat.Rise != defaults.Rise)
        {
            json["rise"] = heartbeat.Rise;
        }

        WriteOptional(json, "name", heartbeat.MysqlDatabase);
        WriteOptional(json, "user", heartbeat.MysqlUser);
        WriteOptional(json, "pass", heartbeat.MysqlPassword);
        WriteOptional(json, "charset", heartbeat.MysqlCharset);
    }

    private static void WriteOptional(JsonObject json, string field, string? value)
    {
        if (value is not null)
        {
            json[field] = value;
        }
    }

    // Whole seconds stay integers (30, not 30.0), as people write them.
    private static JsonValue Seconds(TimeSpan value) =>
        value.Ticks % TimeSpan.TicksPerSecond == 0
            ? JsonValue.Create((long)value.TotalSeconds)
            : JsonValue.Create(value.TotalSeconds);
}
