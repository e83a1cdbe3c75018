using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Scripts;

namespace Slardar.Scriptable.Host.Specs;

/// <summary>
/// Runs spec files for the admin API (<c>POST /spec</c>, <c>POST /script/...?test=true</c>) and the
/// command line: parse strictly, start a <see cref="SpecSandbox"/> copied from this gateway, run the
/// blocks, dispose the sandbox. One run at a time (a sandbox is a whole gateway), each bounded by
/// <see cref="MaxRun"/>.
/// </summary>
internal sealed partial class SpecService : IDisposable
{
    public static readonly TimeSpan MaxRun = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly IServiceProvider _services;
    private readonly ILogger<SpecService> _logger;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public SpecService(IServiceProvider services, ILogger<SpecService> logger)
    {
        _services = services;
        _logger = logger;
    }

    /// <param name="baseFolder">Where <c>&lt; file</c> setup lines read from; null refuses them.</param>
    /// <param name="candidates">Scripts to put in the sandbox before the blocks run (a script posted with <c>?test=true</c>).</param>
    /// <exception cref="SpecFormatException">The spec does not follow the format.</exception>
    /// <exception cref="SpecBusyException">Another run kept the sandbox for longer than <see cref="MaxWait"/>.</exception>
    public async Task<IReadOnlyList<SpecBlockResult>> RunAsync(string text, string? baseFolder, IReadOnlyList<(ScriptKey Key, string Source)>? candidates, CancellationToken cancellationToken)
    {
        var spec = SpecParser.Parse(text, baseFolder);
        var hosts = spec.Blocks.Select(static b => HostOf(b.Request)).Concat(candidates?.Select(static c => c.Key.Pattern) ?? []).ToList();
        if (!await _oneAtATime.WaitAsync(MaxWait, cancellationToken))
        {
            throw new SpecBusyException();
        }

        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(MaxRun);
            await using var sandbox = await SpecSandbox.StartAsync(_services, hosts, limit.Token);
            foreach (var (key, source) in candidates ?? [])
            {
                var applied = await sandbox.Scripts.ApplyAsync(key, source, SpecSandbox.Origin, SpecSandbox.Origin, dryRun: false, limit.Token);
                if (!applied.Accepted)
                {
                    return [new SpecBlockResult(0, $"script {key}", 0, 0, [new SpecMismatch("candidate script", 0, null, applied.Error)])];
                }
            }

            var results = await new SpecRunner(sandbox, baseFolder).RunAsync(spec, limit.Token);
            Log.Ran(_logger, results.Count, results.Count(static r => !r.Pass));
            return results;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>The answer of <c>POST /spec</c>: <c>{pass, passed, failed, blocks: [{number, name, line, end_line, pass, diff, mismatches}]}</c>.</summary>
    public static JsonObject ToJson(IReadOnlyList<SpecBlockResult> results)
    {
        var blocks = new JsonArray();
        foreach (var result in results)
        {
            var block = new JsonObject
            {
                ["number"] = result.Number,
                ["name"] = result.Name,
                ["line"] = result.Line,
                ["end_line"] = result.EndLine,
                ["pass"] = result.Pass,
            };
            if (!result.Pass)
            {
                var mismatches = new JsonArray();
                foreach (var m in result.Mismatches)
                {
                    mismatches.Add(new JsonObject { ["what"] = m.What, ["line"] = m.Line, ["expected"] = m.Expected, ["actual"] = m.Actual });
                }

                block["diff"] = Diff(result);
                block["mismatches"] = mismatches;
            }

            blocks.Add(block);
        }

        return new JsonObject
        {
            ["pass"] = results.All(static r => r.Pass),
            ["passed"] = results.Count(static r => r.Pass),
            ["failed"] = results.Count(static r => !r.Pass),
            ["blocks"] = blocks,
        };
    }

    /// <summary>What a person reads: one line per mismatch, with the spec line and expected/actual.</summary>
    public static string Diff(SpecBlockResult result)
    {
        var text = new StringBuilder();
        foreach (var m in result.Mismatches)
        {
            text.Append("line ").Append(m.Line.ToString(CultureInfo.InvariantCulture)).Append(": ").Append(m.What);
            if (m.Expected is not null)
            {
                text.Append("\n  - expected: ").Append(Indent(m.Expected));
            }

            text.Append("\n  + actual:   ").Append(Indent(m.Actual ?? "(nothing)")).Append('\n');
        }

        return text.ToString().TrimEnd();
    }

    public void Dispose() => _oneAtATime.Dispose();

    private static string Indent(string text) => text.ReplaceLineEndings("\n              ");

    // The Host header of a request (before interpolation), for the scripts the sandbox copies.
    private static string HostOf(SpecSection request) =>
        request.Lines.Select(static l => l.Trim()).FirstOrDefault(static l => l.StartsWith("Host:", StringComparison.OrdinalIgnoreCase))?[5..].Trim() ?? "localhost";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Spec ran: {Blocks} block(s), {Failed} failed")]
        public static partial void Ran(ILogger logger, int blocks, int failed);
    }
}
