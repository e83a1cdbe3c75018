using System.Globalization;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Heartbeats;
using Slardar.Scriptable.Host.Hosting;
using Slardar.Scriptable.Host.Observability.Metrics;
using Slardar.Scriptable.Host.Routing;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>
/// GET /overview: what the admin UI's front page shows that /status does not: listeners, version,
/// uptime, where the store and scripts live, the host bindings of scripts.json, and running totals
/// of requests per upstream and status class and of tries per peer. Totals, not rates: the UI polls
/// and divides the differences by the time between its polls, so the gateway keeps no history.
/// </summary>
internal static class OverviewReport
{
    public static JsonObject Build(
        GatewaySettings settings,
        GatewayListeners listeners,
        UpstreamRegistry registry,
        HeartbeatScheduler heartbeats,
        TrafficTotals traffic,
        RouteTable routes,
        TimeProvider time)
    {
        var now = time.GetUtcNow();
        var requests = traffic.Requests;
        var tries = traffic.Tries;
        var names = registry.All.Select(u => u.Name)
            .Concat(requests.Keys.Select(k => k.Upstream))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

        var upstreams = new JsonArray();
        foreach (var name in names)
        {
            var classes = new JsonObject();
            foreach (var ((upstream, statusClass), count) in requests.OrderBy(p => p.Key.StatusClass, StringComparer.Ordinal))
            {
                if (upstream == name)
                {
                    classes[statusClass] = count;
                }
            }

            var peers = new JsonObject();
            foreach (var ((upstream, peer), count) in tries.OrderBy(p => p.Key.Peer, StringComparer.Ordinal))
            {
                if (upstream == name)
                {
                    peers[peer] = count;
                }
            }

            upstreams.Add(new JsonObject
            {
                ["name"] = name,
                ["configured"] = registry.TryGet(name, out _),
                ["requests"] = classes,
                ["peer_tries"] = peers,
            });
        }

        return new JsonObject
        {
            ["name"] = "Slardar.Scriptable",
            ["version"] = typeof(OverviewReport).Assembly.GetName().Version?.ToString(3),
            ["start_time"] = heartbeats.StartTime.ToString("O", CultureInfo.InvariantCulture),
            ["now"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["uptime_seconds"] = Math.Round((now - heartbeats.StartTime).TotalSeconds, 1),
            ["listeners"] = new JsonObject
            {
                ["proxy"] = new JsonArray([.. listeners.Proxy.Select(a => JsonValue.Create(a))]),
                ["admin"] = new JsonArray([.. listeners.Admin.Select(a => JsonValue.Create(a))]),
            },
            ["store_path"] = settings.StorePath,
            ["manifest_path"] = settings.ManifestPath,
            ["scripts_folder"] = settings.ScriptsFolder,
            ["upstreams"] = upstreams,
            ["hosts"] = Hosts(routes),
        };
    }

    private static JsonArray Hosts(RouteTable routes)
    {
        var hosts = new JsonArray();
        foreach (var binding in routes.Config.Hosts.OrderBy(b => b.Pattern, StringComparer.Ordinal))
        {
            hosts.Add(new JsonObject
            {
                ["pattern"] = binding.Pattern,
                ["upstream"] = binding.Upstream,
                ["trusted"] = binding.Trusted,
                ["budget_ms"] = binding.Budget is { } budget ? budget.TotalMilliseconds : null,
                ["budget_mb"] = binding.AllocationBudget is { } bytes ? bytes / (1024.0 * 1024.0) : null,
            });
        }

        return hosts;
    }
}
