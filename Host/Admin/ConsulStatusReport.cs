using System.Globalization;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Consul;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>
/// The <c>consul</c> object of GET /status: whether this node reaches Consul, the last index it
/// applied, how long applying the last change took (or has been taking), what it refused, and the
/// services it follows. Absent when Consul is not configured.
/// </summary>
internal static class ConsulStatusReport
{
    public static JsonObject? Build(ConsulIntegration consul)
    {
        if (consul is not { Settings: { } settings, Sync: { } sync })
        {
            return null;
        }

        var status = sync.Status;
        var rejected = new JsonArray();
        foreach (var rejection in status.Rejected)
        {
            rejected.Add(new JsonObject
            {
                ["key"] = rejection.Key,
                ["modify_index"] = rejection.ModifyIndex,
                ["reason"] = rejection.Reason,
                ["time"] = Time(rejection.At),
            });
        }

        var services = new JsonObject();
        foreach (var (service, watch, peers) in consul.Services?.Services ?? [])
        {
            services[service] = new JsonObject
            {
                ["reachable"] = watch.Reachable,
                ["last_index"] = watch.LastIndex,
                ["peers"] = peers,
                ["last_error"] = watch.LastError,
            };
        }

        return new JsonObject
        {
            ["address"] = string.Join(";", settings.Client.Addresses),
            ["prefix"] = settings.Prefix,
            ["reachable"] = status.Reachable,
            ["started_from_store"] = status.StartedFromStore,
            ["last_index"] = status.LastIndex,
            ["lag_ms"] = status.Lag is { } lag ? Math.Round(lag.TotalMilliseconds, 1) : null,
            ["last_change_seen"] = status.LastChangeSeenAt is { } seen ? Time(seen) : null,
            ["last_applied"] = status.LastAppliedAt is { } applied ? Time(applied) : null,
            ["last_error"] = status.LastError,
            ["rejected"] = rejected,
            ["services"] = services,
        };
    }

    private static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
