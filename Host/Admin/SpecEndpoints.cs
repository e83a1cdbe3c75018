using System.Text;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Hosting;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Specs;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>
/// <c>POST /spec</c>: runs the spec in the body against a throw-away copy of this gateway and answers
/// one entry per block (200 even when blocks fail; 400 only for a spec that is not one). Also the
/// check behind <c>POST /script/...?test=true</c>: the host's <c>Scripts/&lt;host&gt;/*.spec</c> files.
/// </summary>
internal static class SpecEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/spec", async (HttpContext context, SpecService specs) =>
        {
            var (body, bodyError) = await AdminRequestBody.ReadAsync(context.Request);
            if (body is null)
            {
                return AdminJson.Error(400, bodyError == "empty body" ? "need a spec as the body (=== Test 1: name / --- request / --- response)" : bodyError!);
            }

            return await RunAsync(specs, Encoding.UTF8.GetString(body), baseFolder: null, candidates: null, context.RequestAborted);
        });
    }

    /// <summary>Runs the spec files of <paramref name="key"/>'s host with <paramref name="source"/> in place; null when they all pass (or a refusal to answer).</summary>
    public static async Task<IResult?> CheckScriptAsync(SpecService specs, GatewaySettings settings, ScriptKey key, string source, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(settings.ScriptsFolder, key.Pattern);
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.spec").Order(StringComparer.Ordinal).ToList() : [];
        if (files.Count == 0)
        {
            return AdminJson.Error(400, $"?test=true: no spec for {key.Pattern} (write Scripts/{key.Pattern}/{key.PhaseName}.spec)");
        }

        foreach (var file in files)
        {
            IReadOnlyList<SpecBlockResult> results;
            try
            {
                results = await specs.RunAsync(await File.ReadAllTextAsync(file, cancellationToken), folder, [(key, source)], cancellationToken);
            }
            catch (SpecFormatException ex)
            {
                return AdminJson.Error(400, $"{Path.GetFileName(file)} is not a spec: {ex.Message}", new JsonObject { ["line"] = ex.Line });
            }
            catch (SpecBusyException ex)
            {
                return AdminJson.Error(503, ex.Message);
            }

            if (results.Any(static r => !r.Pass))
            {
                var report = SpecService.ToJson(results);
                report["file"] = Path.GetFileName(file);
                return AdminJson.Error(400, $"the script fails its spec {Path.GetFileName(file)}; it was not activated", new JsonObject { ["spec"] = report });
            }
        }

        return null;
    }

    private static async Task<IResult> RunAsync(SpecService specs, string text, string? baseFolder, IReadOnlyList<(ScriptKey, string)>? candidates, CancellationToken cancellationToken)
    {
        try
        {
            return AdminJson.Ok(SpecService.ToJson(await specs.RunAsync(text, baseFolder, candidates, cancellationToken)));
        }
        catch (SpecFormatException ex)
        {
            return AdminJson.Error(400, $"not a spec: {ex.Message}", new JsonObject { ["line"] = ex.Line });
        }
        catch (SpecBusyException ex)
        {
            return AdminJson.Error(503, ex.Message);
        }
    }
}
