using System.Net.Sockets;

namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>
/// checkups' <c>redis</c> heartbeat: PING must answer PONG; then the replication and server INFO
/// sections are reported in /status, and a replica that lost its master is Unstable.
/// </summary>
internal sealed class RedisProbe : IHealthProbe
{
    /// <summary>Extra field: the replication INFO fields that were present, as reported (strings).</summary>
    public const string ReplicationField = "replication";

    /// <summary>Extra field: INFO's <c>redis_version</c>.</summary>
    public const string VersionField = "redis_version";

    public const string MasterLinkDownMessage = "master link status: down";

    // The replication fields checkups copied into /status, in its order.
    private static readonly string[] ReplicationFields =
        ["role", "master_host", "master_port", "master_link_status", "master_link_down_since_seconds", "master_last_io_seconds_ago"];

    public string Type => ProbeTypes.Redis;

    public Task<ProbeResult> ProbeAsync(string host, int port, ProbeSettings settings, CancellationToken ct) =>
        ProbeConnection.RunAsync(host, port, settings, ExchangeAsync, ct);

    private static async Task<ProbeResult> ExchangeAsync(Stream stream, CancellationToken ct)
    {
        var client = new RespClient(stream);
        var pong = await client.CallAsync(["PING"], ct);
        if (pong.Kind == RespReplyKind.Error)
        {
            // e.g. "NOAUTH Authentication required.": alive, but unusable without a password.
            return ProbeResult.Err(pong.Text!);
        }

        if (pong is not { Kind: RespReplyKind.SimpleString, Text: "PONG" })
        {
            return ProbeResult.Err("unexpected reply to PING");
        }

        // PING proved the server works; INFO only adds detail, so a server that refuses it (renamed
        // or disabled command) is still Ok, just without the extra fields.
        var info = await InfoAsync(client, "replication", ct);
        if (info is null)
        {
            // Redis before 2.6 has no INFO sections; checkups fell back to the whole INFO too.
            info = await InfoAsync(client, section: null, ct) ?? [];
        }

        if (!info.ContainsKey(VersionField) && await InfoAsync(client, "server", ct) is { } server
            && server.TryGetValue(VersionField, out var version))
        {
            info[VersionField] = version;
        }

        var extra = Extra(info);
        return info.TryGetValue("master_link_status", out var link) && link == "down"
            ? ProbeResult.Unstable(MasterLinkDownMessage, extra)
            : ProbeResult.Ok(extra);
    }

    private static async Task<Dictionary<string, string>?> InfoAsync(RespClient client, string? section, CancellationToken ct)
    {
        var reply = await client.CallAsync(section is null ? ["INFO"] : ["INFO", section], ct);
        return reply.Kind == RespReplyKind.BulkString ? RedisInfo.Parse(reply.Text!) : null;
    }

    private static Dictionary<string, object?>? Extra(Dictionary<string, string> info)
    {
        var extra = new Dictionary<string, object?>(StringComparer.Ordinal);
        var replication = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in ReplicationFields)
        {
            if (info.TryGetValue(field, out var value))
            {
                replication[field] = value;
            }
        }

        if (replication.Count > 0)
        {
            extra[ReplicationField] = replication;
        }

        if (info.TryGetValue(VersionField, out var version))
        {
            extra[VersionField] = version;
        }

        return extra.Count > 0 ? extra : null;
    }
}
