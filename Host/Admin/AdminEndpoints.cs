using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Routing;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>The admin listener's endpoints. Issue 3 grows this into Slardar's admin API.</summary>
internal static class AdminEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/", (UpstreamRegistry upstreams, RouteTableProvider routes) => Results.Json(new
        {
            name = "Slardar.Scriptable",
            version = typeof(AdminEndpoints).Assembly.GetName().Version?.ToString(),
            upstreams = upstreams.All.Count,
            hosts = routes.Current.Config.Hosts.Length,
        }));
    }
}
