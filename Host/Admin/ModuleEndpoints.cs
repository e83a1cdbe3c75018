using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Consul;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Store;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>
/// /module/&lt;name&gt; (POST the C# source as the raw body, <c>?dry_run=true</c>; GET; DELETE), /modules,
/// versions and rollback: the module write path of <see cref="ScriptCatalog"/>, routed through Consul
/// like scripts when Consul writes through.
/// </summary>
internal static class ModuleEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/module/{name}", async (string name, bool? dry_run, HttpContext context, ScriptCatalog catalog, ConsulIntegration consul) =>
        {
            if (!ScriptModule.IsValidName(name))
            {
                return NotAName(name);
            }

            var (body, bodyError) = await AdminRequestBody.ReadAsync(context.Request);
            if (body is null)
            {
                return AdminJson.Error(400, bodyError == "empty body" ? "need the module's C# source as the body" : bodyError!);
            }

            var source = Encoding.UTF8.GetString(body);
            var actor = UpstreamEndpoints.Actor(context);
            return await ChangeRouting.PutAsync(
                consul,
                context,
                prepare: async () =>
                {
                    var check = await catalog.ApplyModuleAsync(name, source, StoreOrigins.Api, actor, dryRun: true, context.RequestAborted);
                    return check.Accepted
                        ? new PreparedChange(consul.Layout.ModuleKey(name), source, null, () => Applied(check, catalog.StoredModule(name)?.Version, dryRun: false))
                        : PreparedChange.Refused(Refusal(check));
                },
                applyHere: async () =>
                {
                    var result = await catalog.ApplyModuleAsync(name, source, StoreOrigins.Api, actor, dry_run == true, context.RequestAborted);
                    return result.Accepted ? AdminJson.Ok(Applied(result, result.Version, dry_run == true)) : Refusal(result);
                },
                localOnly: dry_run == true);
        });

        app.MapGet("/module/{name}", (string name, ScriptCatalog catalog) =>
        {
            if (catalog.StoredModule(name) is not { } stored)
            {
                return AdminJson.Error(404, $"module {name} not found");
            }

            var json = Describe(stored, catalog);
            json["source"] = stored.Content;
            return AdminJson.Document(json);
        });

        app.MapGet("/modules", (GatewayStore store, ScriptCatalog catalog) =>
        {
            var list = new JsonArray();
            foreach (var stored in store.List(StoreKinds.Module).OrderBy(static d => d.Name, StringComparer.Ordinal))
            {
                list.Add(Describe(stored, catalog));
            }

            return AdminJson.Document(new JsonObject { ["modules"] = list });
        });

        app.MapDelete("/module/{name}", async (string name, HttpContext context, ScriptCatalog catalog, ConsulIntegration consul) =>
        {
            // Checked here too, so a module in use is not deleted from Consul for every gateway.
            if (catalog.ModuleUsers(name) is { Count: > 0 } users)
            {
                return Refusal(ModuleChangeResult.Fail(409, $"module {name} is used by {string.Join(", ", users)}; change or delete them first") with { Users = [.. users] });
            }

            return await ChangeRouting.DeleteAsync(consul, consul.Layout.ModuleKey(name), context, async () =>
            {
                var result = await catalog.DeleteModuleAsync(name, StoreOrigins.Api, UpstreamEndpoints.Actor(context), context.RequestAborted);
                return result.Accepted ? AdminJson.Ok() : Refusal(result);
            });
        });

        app.MapGet("/module/{name}/versions", (string name, ScriptCatalog catalog) =>
        {
            var versions = catalog.ModuleVersions(name);
            if (versions.Count == 0)
            {
                return AdminJson.Error(404, $"module {name} has no history");
            }

            var list = new JsonArray();
            foreach (var version in versions)
            {
                var json = UpstreamEndpoints.VersionJson(version);
                json["content"] = version.Content;
                list.Add(json);
            }

            return AdminJson.Document(new JsonObject { ["module"] = name, ["versions"] = list });
        });

        app.MapPost("/module/{name}/rollback", async (string name, string? version, HttpContext context, ScriptCatalog catalog, ConsulIntegration consul) =>
        {
            if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                return AdminJson.Error(400, "rollback needs ?version=<n> with n >= 1 (see GET /module/<name>/versions)");
            }

            var actor = UpstreamEndpoints.Actor(context);
            return await ChangeRouting.PutAsync(
                consul,
                context,
                prepare: async () =>
                {
                    // Through Consul a rollback is the old source written again; checked here first.
                    var old = catalog.ModuleVersions(name).FirstOrDefault(v => v.Version == number);
                    if (old?.Content is not { } content)
                    {
                        return PreparedChange.Refused(AdminJson.Error(404, $"module {name} has no version {number} to roll back to"));
                    }

                    var check = await catalog.ApplyModuleAsync(name, content, StoreOrigins.Api, actor, dryRun: true, context.RequestAborted);
                    return check.Accepted
                        ? new PreparedChange(consul.Layout.ModuleKey(name), content, null, () => Applied(check, catalog.StoredModule(name)?.Version, dryRun: false))
                        : PreparedChange.Refused(Refusal(check));
                },
                applyHere: async () =>
                {
                    var result = await catalog.RollbackModuleAsync(name, number, actor, context.RequestAborted);
                    return result.Accepted ? AdminJson.Ok(Applied(result, result.Version, dryRun: false)) : Refusal(result);
                });
        });
    }

    private static IResult NotAName(string name) =>
        AdminJson.Error(400, $"\"{name}\" is not a module name (lower-case letters, digits, '.', '-', '_'; up to 64)");

    private static JsonObject Applied(ModuleChangeResult result, int? version, bool dryRun) => new()
    {
        ["version"] = version,
        ["dry_run"] = dryRun,
        ["diagnostics"] = ScriptEndpoints.Diagnostics(result.Diagnostics),
        ["recompiled"] = new JsonArray([.. result.Recompiled.Select(static s => JsonValue.Create(s))]),
    };

    private static IResult Refusal(ModuleChangeResult result)
    {
        var extra = new JsonObject { ["diagnostics"] = ScriptEndpoints.Diagnostics(result.Diagnostics) };
        if (!result.Dependents.IsEmpty)
        {
            var dependents = new JsonArray();
            foreach (var dependent in result.Dependents)
            {
                dependents.Add(new JsonObject { ["script"] = dependent.Script, ["diagnostics"] = ScriptEndpoints.Diagnostics(dependent.Diagnostics) });
            }

            extra["dependents"] = dependents;
        }

        if (!result.Users.IsEmpty)
        {
            extra["users"] = new JsonArray([.. result.Users.Select(static s => JsonValue.Create(s))]);
        }

        return AdminJson.Error(result.Status == 200 ? 400 : result.Status, result.Error ?? "refused", extra);
    }

    private static JsonObject Describe(StoredDocument stored, ScriptCatalog catalog) => new()
    {
        ["name"] = stored.Name,
        ["version"] = stored.Version,
        ["sha256"] = ContentHash.Sha256Hex(stored.Content),
        ["origin"] = stored.Origin,
        ["time"] = stored.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
        ["file"] = new ScriptModule(stored.Name, stored.Content).Path,
        ["users"] = new JsonArray([.. catalog.ModuleUsers(stored.Name).Select(static s => JsonValue.Create(s))]),
    };
}
