using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Consul;
using Slardar.Scriptable.Host.Hosting;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Specs;
using Slardar.Scriptable.Host.Store;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>
/// /script/&lt;host&gt;[/&lt;phase&gt;] (POST source as the raw body, GET, DELETE), /scripts, versions and
/// rollback. A body sent by <c>curl -d</c> arrives form-encoded by content type but is the raw code.
/// </summary>
internal static class ScriptEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/script/{host}/{phase?}", async (string host, string? phase, bool? dry_run, bool? test, HttpContext context, ScriptCatalog catalog, ScriptRegistry registry, ConsulIntegration consul, SpecService specs, GatewaySettings settings) =>
        {
            if (!ScriptKey.TryCreate(host, phase, out var key, out var keyError))
            {
                return AdminJson.Error(400, keyError!);
            }

            var (body, bodyError) = await AdminRequestBody.ReadAsync(context.Request);
            if (body is null)
            {
                return AdminJson.Error(400, bodyError == "empty body" ? "need a script body to upload" : bodyError!);
            }

            var source = Encoding.UTF8.GetString(body);
            var actor = UpstreamEndpoints.Actor(context);

            // ?test=true: the host's spec runs with this source in a sandbox first; a failing spec stops it here.
            if (test == true)
            {
                var compiles = await catalog.ApplyAsync(key, source, StoreOrigins.Api, actor, dryRun: true, context.RequestAborted);
                if (!compiles.Accepted)
                {
                    return Refusal(compiles.Transient, compiles.Error!, compiles.Diagnostics);
                }

                if (await SpecEndpoints.CheckScriptAsync(specs, settings, key, source, context.RequestAborted) is { } failed)
                {
                    return failed;
                }
            }

            return await ChangeRouting.PutAsync(
                consul,
                context,
                prepare: async () =>
                {
                    // Through Consul, the compile here is the check: only source that compiles reaches the fleet.
                    var check = await catalog.ApplyAsync(key, source, StoreOrigins.Api, actor, dryRun: true, context.RequestAborted);
                    return check.Accepted
                        ? new PreparedChange(consul.Layout.ScriptKey(key.StoreName), source, null, () => Applied(check.Diagnostics, registry.Get(key)?.Version))
                        : PreparedChange.Refused(Refusal(check.Transient, check.Error!, check.Diagnostics));
                },
                applyHere: async () =>
                {
                    var result = await catalog.ApplyAsync(key, source, StoreOrigins.Api, actor, dry_run == true, context.RequestAborted);
                    if (!result.Accepted)
                    {
                        return Refusal(result.Transient, result.Error!, result.Diagnostics);
                    }

                    context.Response.Headers["Server-Timing"] = result.Timing.ToServerTiming();
                    var details = new JsonObject { ["diagnostics"] = Diagnostics(result.Diagnostics) };
                    if (result.Version is { } version)
                    {
                        details["version"] = version;
                    }

                    details["dry_run"] = dry_run == true;
                    return AdminJson.Ok(details);
                },
                localOnly: dry_run == true);
        });

        app.MapGet("/script/{host}/{phase?}", (string host, string? phase, ScriptRegistry registry, ScriptCatalog catalog) =>
        {
            if (!ScriptKey.TryCreate(host, phase, out var key, out var keyError))
            {
                return AdminJson.Error(400, keyError!);
            }

            var active = registry.Get(key);
            catalog.CompileStates.TryGetValue(key, out var state);
            if (active is null && state is null)
            {
                return AdminJson.Error(404, $"script {key} not found");
            }

            var json = Describe(key, active, state, catalog);
            if (active is not null)
            {
                json["source"] = active.Source;
            }

            return AdminJson.Document(json);
        });

        app.MapGet("/scripts", (ScriptRegistry registry, ScriptCatalog catalog) =>
        {
            var list = new JsonArray();
            foreach (var key in catalog.Keys.OrderBy(k => k.StoreName, StringComparer.Ordinal))
            {
                catalog.CompileStates.TryGetValue(key, out var state);
                list.Add(Describe(key, registry.Get(key), state, catalog));
            }

            var phases = new JsonArray();
            foreach (var phase in ScriptPhases.All)
            {
                phases.Add(new JsonObject { ["name"] = phase.Name, ["async"] = phase.IsAsync, ["runs"] = phase.RunsWhere, ["stage"] = phase.Stage.ToString().ToLowerInvariant() });
            }

            return AdminJson.Document(new JsonObject { ["scripts"] = list, ["phases"] = phases });
        });

        // For an editor's completion: what a script of the phase can name, from the API as built.
        app.MapGet("/script-api/{phase}", (string phase) =>
        {
            if (!ScriptKey.TryParsePhase(phase, out var parsed))
            {
                return AdminJson.Error(400, $"unknown phase \"{phase}\" (expected one of {ScriptPhases.Names})");
            }

            var names = new JsonArray();
            foreach (var (name, kind, type) in ScriptApiNames.For(parsed))
            {
                names.Add(new JsonObject { ["name"] = name, ["kind"] = kind, ["type"] = type });
            }

            return AdminJson.Document(new JsonObject { ["phase"] = phase, ["names"] = names });
        });

        app.MapDelete("/script/{host}/{phase?}", async (string host, string? phase, HttpContext context, ScriptCatalog catalog, ConsulIntegration consul) =>
        {
            if (!ScriptKey.TryCreate(host, phase, out var key, out var keyError))
            {
                return AdminJson.Error(400, keyError!);
            }

            return await ChangeRouting.DeleteAsync(consul, consul.Layout.ScriptKey(key.StoreName), context, async () =>
            {
                var result = await catalog.DeleteAsync(key, StoreOrigins.Api, UpstreamEndpoints.Actor(context), context.RequestAborted);
                return result.Accepted ? AdminJson.Ok() : AdminJson.Error(400, result.Error!);
            });
        });

        app.MapDelete("/script/{host}/{phase}/quarantine", (string host, string phase, HttpContext context, ScriptRegistry registry, ILoggerFactory loggers) =>
        {
            if (!ScriptKey.TryCreate(host, phase, out var key, out var keyError))
            {
                return AdminJson.Error(400, keyError!);
            }

            if (registry.Get(key) is not { } active)
            {
                return AdminJson.Error(404, $"script {key} not found");
            }

            if (!active.Quarantine.Lift())
            {
                return AdminJson.Error(409, $"script {key} version {active.Version} is not quarantined");
            }

            loggers.CreateLogger(typeof(ScriptEndpoints).FullName!).LogWarning("Quarantine of script {Key} version {Version} lifted by {Actor}", key, active.Version, UpstreamEndpoints.Actor(context));
            return AdminJson.Ok(new JsonObject { ["version"] = active.Version });
        });

        app.MapGet("/script/{host}/{phase}/versions", (string host, string phase, ScriptCatalog catalog) =>
        {
            if (!ScriptKey.TryCreate(host, phase, out var key, out var keyError))
            {
                return AdminJson.Error(400, keyError!);
            }

            var versions = catalog.Versions(key);
            if (versions.Count == 0)
            {
                return AdminJson.Error(404, $"script {key} has no history");
            }

            var list = new JsonArray();
            foreach (var version in versions)
            {
                var json = UpstreamEndpoints.VersionJson(version);
                json["content"] = version.Content;
                list.Add(json);
            }

            return AdminJson.Document(new JsonObject { ["script"] = key.StoreName, ["versions"] = list });
        });

        app.MapPost("/script/{host}/{phase}/rollback", async (string host, string phase, string? version, HttpContext context, ScriptCatalog catalog, ScriptRegistry registry, ConsulIntegration consul) =>
        {
            if (!ScriptKey.TryCreate(host, phase, out var key, out var keyError))
            {
                return AdminJson.Error(400, keyError!);
            }

            if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            {
                return AdminJson.Error(400, "rollback needs ?version=<n> with n >= 1 (see GET /script/<host>/<phase>/versions)");
            }

            return await ChangeRouting.PutAsync(
                consul,
                context,
                prepare: async () =>
                {
                    var (source, compiled, failure) = await catalog.PrepareRollbackAsync(key, number, context.RequestAborted);
                    return failure is not null
                        ? PreparedChange.Refused(Refusal(failure.Transient, failure.Error!, failure.Diagnostics))
                        : new PreparedChange(consul.Layout.ScriptKey(key.StoreName), source, null, () => Applied(compiled!.Diagnostics, registry.Get(key)?.Version));
                },
                applyHere: async () =>
                {
                    var result = await catalog.RollbackAsync(key, number, UpstreamEndpoints.Actor(context), context.RequestAborted);
                    return result.Accepted
                        ? AdminJson.Ok(new JsonObject { ["version"] = result.Version })
                        : Refusal(result.Transient, result.Error!, result.Diagnostics);
                });
        });
    }

    private static IResult Refusal(bool transient, string error, ImmutableArray<ScriptDiagnostic> diagnostics) =>
        AdminJson.Error(transient ? 503 : 400, error, new JsonObject { ["diagnostics"] = Diagnostics(diagnostics) });

    private static JsonObject Applied(ImmutableArray<ScriptDiagnostic> diagnostics, int? version) => new()
    {
        ["diagnostics"] = Diagnostics(diagnostics),
        ["version"] = version,
        ["dry_run"] = false,
    };

    private static JsonObject Describe(ScriptKey key, ActiveScript? active, ScriptCompileState? state, ScriptCatalog catalog)
    {
        var counters = catalog.CountersFor(key).Snapshot();
        var json = new JsonObject
        {
            ["host"] = key.Pattern,
            ["phase"] = key.PhaseName,
            ["serving"] = active is not null,
            ["version"] = active?.Version,
            ["sha256"] = active?.Sha256,
            ["origin"] = active?.Origin,
            ["time"] = active?.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["compile_state"] = state is null ? "unknown" : state.Compiled ? "ok" : "error",
            ["counters"] = new JsonObject
            {
                ["invocations"] = counters.Invocations,
                ["errors"] = counters.Faulted,
                ["budget_exceeded"] = counters.BudgetExceeded,
                ["canceled"] = counters.Canceled,
                ["timed_out"] = counters.TimedOut,
                ["upstream_failed"] = counters.UpstreamFailed,
                ["log_dropped"] = catalog.LogDroppedFor(key),
                ["runaways"] = counters.Runaways,
                ["p50_ms"] = Math.Round(counters.P50.TotalMilliseconds, 3),
                ["p99_ms"] = Math.Round(counters.P99.TotalMilliseconds, 3),
            },
        };
        json["quarantined"] = Quarantined(active?.Quarantine.State);
        if (state is { Compiled: false })
        {
            json["last_error"] = new JsonObject
            {
                ["origin"] = state.Origin,
                ["time"] = state.At.ToString("O", CultureInfo.InvariantCulture),
                ["diagnostics"] = Diagnostics(state.Diagnostics),
            };
        }

        return json;
    }

    /// <summary>For /status: every quarantined script with its host, phase and version.</summary>
    public static JsonArray QuarantinedList(ScriptRegistry registry)
    {
        var list = new JsonArray();
        foreach (var (pattern, set) in registry.ByPattern.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var active in set.Active)
            {
                if (Quarantined(active.Quarantine.State) is { } json)
                {
                    json["host"] = pattern;
                    json["phase"] = active.Key.PhaseName;
                    json["version"] = active.Version;
                    list.Add(json);
                }
            }
        }

        return list;
    }

    /// <summary><c>{since, reason, failures}</c>, or null while the version serves.</summary>
    public static JsonObject? Quarantined(ScriptQuarantineState? state) => state is null ? null : new JsonObject
    {
        ["since"] = state.Since.ToString("O", CultureInfo.InvariantCulture),
        ["reason"] = state.Reason,
        ["failures"] = state.Failures,
    };

    /// <summary><c>[{line, column, id, message, severity}]</c>, with <c>file</c> on a finding in a module.</summary>
    internal static JsonArray Diagnostics(ImmutableArray<ScriptDiagnostic> diagnostics)
    {
        var list = new JsonArray();
        foreach (var diagnostic in diagnostics.IsDefault ? [] : diagnostics)
        {
            var json = new JsonObject
            {
                ["line"] = diagnostic.Line,
                ["column"] = diagnostic.Column,
                ["id"] = diagnostic.Id,
                ["message"] = diagnostic.Message,
                ["severity"] = diagnostic.Severity.ToLowerInvariant(),
            };
            if (diagnostic.File is { } file)
            {
                json["file"] = file;
            }

            list.Add(json);
        }

        return list;
    }
}
