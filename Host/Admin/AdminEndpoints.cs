using System.Globalization;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Certificates;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Heartbeats;
using Slardar.Scriptable.Host.Consul;
using Slardar.Scriptable.Host.Hosting;
using Slardar.Scriptable.Host.Observability.Metrics;
using Slardar.Scriptable.Host.Routing;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Services.Limits;
using Slardar.Scriptable.Host.Services.Redis;
using Slardar.Scriptable.Host.Store;
using Slardar.Scriptable.Host.Streams;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>The admin listener's endpoints: Slardar's admin API plus what the peers taught us to add.</summary>
internal static class AdminEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/", (UpstreamRegistry upstreams, RouteTableProvider routes) => AdminJson.Document(new JsonObject
        {
            ["name"] = "Slardar.Scriptable",
            ["version"] = typeof(AdminEndpoints).Assembly.GetName().Version?.ToString(3),
            ["upstreams"] = upstreams.All.Count,
            ["hosts"] = routes.Current.Config.Hosts.Length,
        }));

        app.MapGet("/status", (UpstreamRegistry registry, HeartbeatScheduler heartbeats, TimeProvider time, ConsulIntegration consul, ScriptRegistry scripts, RedisConnections redis, LimitSet limits, CertificateCatalog certificates, CertificateFileWatcher certificateFiles, StreamListeners streams) =>
        {
            var status = StatusReport.Build(registry, heartbeats, time);
            TlsStatusReport.Add(status, registry, certificates, certificateFiles, time.GetUtcNow());
            foreach (var (key, value) in ServiceEndpoints.Status(redis, limits))
            {
                status[key] = value?.DeepClone();
            }

            status["scripts_quarantined"] = ScriptEndpoints.QuarantinedList(scripts);
            status["streams"] = StreamStatusReport.Build(streams, time);
            if (ConsulStatusReport.Build(consul) is { } consulStatus)
            {
                status["consul"] = consulStatus;
            }

            return AdminJson.Document(status);
        });

        app.MapGet("/overview", (GatewaySettings settings, GatewayListeners listeners, UpstreamRegistry registry, HeartbeatScheduler heartbeats, TrafficTotals traffic, RouteTableProvider routes, TimeProvider time) =>
            AdminJson.Document(OverviewReport.Build(settings, listeners, registry, heartbeats, traffic, routes.Current, time)));

        app.MapGet("/audit", (int? limit, GatewayStore store) =>
        {
            var entries = new JsonArray();
            foreach (var entry in store.RecentAudit(Math.Clamp(limit ?? 50, 1, 1000)))
            {
                entries.Add(new JsonObject
                {
                    ["id"] = entry.Id,
                    ["time"] = entry.At.ToString("O", CultureInfo.InvariantCulture),
                    ["actor"] = entry.Actor,
                    ["action"] = entry.Action,
                    ["target"] = entry.Target,
                    ["detail"] = entry.Detail,
                });
            }

            return AdminJson.Document(entries);
        });

        app.MapGet("/metrics", (PrometheusExporter exporter) => Results.Text(exporter.Render(), PrometheusExporter.ContentType));

        UpstreamEndpoints.Map(app);
        ScriptEndpoints.Map(app);
        ModuleEndpoints.Map(app);
        SpecEndpoints.Map(app);
        ServiceEndpoints.Map(app);
        CertificateEndpoints.Map(app);
    }
}
