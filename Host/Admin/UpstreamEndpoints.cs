using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Consul;
using Slardar.Scriptable.Host.Store;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>Slardar's upstream API: /upstreams, /upstream/&lt;name&gt; (GET, POST/PUT, DELETE), plus versions and rollback.</summary>
internal static class UpstreamEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/upstreams", (UpstreamRegistry registry) =>
        {
            var all = new JsonObject();
            foreach (var upstream in registry.All.OrderBy(u => u.Name, StringComparer.Ordinal))
            {
                all[upstream.Name] = UpstreamConfigWriter.ToJsonObject(upstream.Config);
            }

            return AdminJson.Document(all);
        });

        app.MapGet("/upstream/{name}", (string name, UpstreamRegistry registry) =>
            registry.TryGet(name, out var upstream)
                ? AdminJson.Document(UpstreamConfigWriter.ToJsonObject(upstream.Config))
                : AdminJson.Error(404, $"upstream {name} not found"));

        app.MapMethods("/upstream/{name}", ["POST", "PUT"], async (string name, HttpContext context, UpstreamCatalog catalog, GatewayStore store, ConsulIntegration consul) =>
        {
            var (body, error) = await AdminRequestBody.ReadAsync(context.Request);
            if (body is null)
            {
                return AdminJson.Error(400, error!);
            }

            return await ChangeRouting.PutAsync(
                consul,
                context,
                // Checked here first: what Consul gets is already valid, so every gateway accepts it.
                prepare: () => Task.FromResult(Prepared(catalog.Prepare(name, body), consul.Layout, store)),
                applyHere: () => Task.FromResult(Answer(catalog.Apply(name, body, StoreOrigins.Api, Actor(context)))));
        });

        app.MapDelete("/upstream/{name}", async (string name, HttpContext context, UpstreamCatalog catalog, UpstreamRegistry registry, ConsulIntegration consul) =>
        {
            var stored = registry.TryGet(name, out var current) ? current.Name : name;

            // Not in Consul (defined by configuration or before Consul was set up): deleted here.
            return await ChangeRouting.DeleteAsync(consul, consul.Layout.UpstreamKey(stored), context, () =>
                Task.FromResult(Answer(catalog.Delete(name, StoreOrigins.Api, Actor(context)))));
        });

        // Slardar answers every other method on /upstream/<name> with 405.
        app.MapMethods("/upstream/{name}", ["PATCH", "HEAD", "OPTIONS"], () => AdminJson.Error(405, "method not allowed"));

        app.MapGet("/upstream/{name}/versions", (string name, UpstreamCatalog catalog) =>
        {
            var versions = catalog.Versions(name);
            if (versions.Count == 0)
            {
                return AdminJson.Error(404, $"upstream {name} has no history");
            }

            var list = new JsonArray();
            foreach (var version in versions)
            {
                list.Add(VersionJson(version));
            }

            return AdminJson.Document(new JsonObject { ["name"] = name, ["versions"] = list });
        });

        app.MapPost("/upstream/{name}/rollback", async (string name, string? version, HttpContext context, UpstreamCatalog catalog, GatewayStore store, ConsulIntegration consul) =>
        {
            if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                return AdminJson.Error(400, "rollback needs ?version=<n> with n >= 1 (see GET /upstream/<name>/versions)");
            }

            return await ChangeRouting.PutAsync(
                consul,
                context,
                prepare: () => Task.FromResult(Prepared(catalog.PrepareRollback(name, number), consul.Layout, store)),
                applyHere: () => Task.FromResult(Answer(catalog.Rollback(name, number, Actor(context)))));
        });
    }

    public static string Actor(HttpContext context) => $"api:{context.Connection.RemoteIpAddress}";

    public static JsonObject VersionJson(StoredVersion version) => new()
    {
        ["version"] = version.Version,
        ["action"] = version.Action,
        ["origin"] = version.Origin,
        ["actor"] = version.Actor,
        ["time"] = version.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
        ["sha256"] = version.Sha256,
        ["content"] = version.Content is null ? null : ParseOrText(version.Content),
    };

    private static JsonNode? ParseOrText(string content)
    {
        try
        {
            return JsonNode.Parse(content);
        }
        catch (JsonException)
        {
            return JsonValue.Create(content);
        }
    }

    private static PreparedChange Prepared(UpstreamParseResult prepared, ConsulKvLayout layout, GatewayStore store) => prepared.Success
        ? new PreparedChange(
            layout.UpstreamKey(prepared.Config.Name),
            UpstreamConfigWriter.ToJson(prepared.Config),
            null,
            () => new JsonObject { ["version"] = store.Get(StoreKinds.Upstream, prepared.Config.Name)?.Version })
        : PreparedChange.Refused(AdminJson.Error(400, prepared.Error));

    private static IResult Answer(UpstreamChangeResult result) => result switch
    {
        { Accepted: true } => AdminJson.Ok(new JsonObject { ["version"] = result.Version }),
        _ => AdminJson.Error(400, result.Error!),
    };
}
