using System.Globalization;
using Microsoft.Extensions.Configuration;
using Slardar.Scriptable.Host.Hosting;

namespace Slardar.Scriptable.Host.Specs;

/// <summary>
/// <c>--spec path...</c>: starts a gateway for the run (the usual configuration, scripts.json and Scripts
/// folder, but a temporary store and loopback ports of its own), runs each spec file against a
/// sandbox copy of it, prints what a person reads and exits 0 when every block passed, 1 when one
/// failed, 2 when a file is not a spec or the gateway could not start.
/// </summary>
internal static class SpecCommand
{
    public const string Argument = "--spec";

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var files = args.Where(static a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var settings = args.Where(static a => a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (files.Count == 0)
        {
            output.WriteLine("usage: --spec <file.spec>... [--Key=value...]");
            return 2;
        }

        var folder = Directory.CreateTempSubdirectory("slardar-spec-run-").FullName;
        GatewayApp gateway;
        try
        {
            gateway = await GatewayApp.StartAsync(settings, builder => builder.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:Listen"] = "http://127.0.0.1:0",
                ["Admin:Listen"] = "http://127.0.0.1:0",
                ["Demo:Enabled"] = "false",
                ["Logging:Console"] = "false",
                ["Store:Path"] = Path.Combine(folder, "spec-run.db"),
                ["Checkups:ActiveChecks"] = "false",
            }));
        }
        catch (Exception ex)
        {
            output.WriteLine($"spec: the gateway did not start: {GatewayApp.OneLine(ex.Message)}");
            return 2;
        }

        var failed = 0;
        var total = 0;
        var broken = false;
        await using (gateway)
        {
            var specs = gateway.Services.GetRequiredService<SpecService>();
            foreach (var file in files)
            {
                output.WriteLine(file);
                try
                {
                    var results = await specs.RunAsync(await File.ReadAllTextAsync(file), Path.GetDirectoryName(Path.GetFullPath(file)), null, CancellationToken.None);
                    foreach (var result in results)
                    {
                        total++;
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(result.Pass ? "ok  " : "FAIL")} {result.Number} - {result.Name} (line {result.Line})"));
                        if (!result.Pass)
                        {
                            failed++;
                            output.WriteLine("       " + SpecService.Diff(result).ReplaceLineEndings("\n       "));
                        }
                    }
                }
                catch (Exception ex) when (ex is SpecFormatException or IOException or UnauthorizedAccessException)
                {
                    broken = true;
                    output.WriteLine($"  not a spec: {ex.Message}");
                }
            }
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total} block(s), {total - failed} passed, {failed} failed"));
        return broken ? 2 : failed > 0 ? 1 : 0;
    }
}
