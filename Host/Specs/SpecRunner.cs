using System.Text;
using Slardar.Scriptable.Host.Bodies;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Host.Specs;

/// <summary>
/// Runs the blocks of a spec in order against a <see cref="SpecSandbox"/>: its setup (which stays for
/// the blocks after it), the request with its <c>{{expr}}</c> values, then the comparison with the
/// expected response and the assertions. A block that fails is a result, never an exception.
/// </summary>
internal sealed class SpecRunner
{
    public const int MaxBodyBytes = 1024 * 1024;

    private readonly SpecSandbox _sandbox;
    private readonly SpecEvaluator _evaluator;
    private readonly string? _baseFolder;

    public SpecRunner(SpecSandbox sandbox, string? baseFolder)
    {
        _sandbox = sandbox;
        _baseFolder = baseFolder is null ? null : Path.GetFullPath(baseFolder);
        _evaluator = new SpecEvaluator(sandbox.Services.GetRequiredService<CompiledScriptCache>(), sandbox.Scripts, sandbox.Services.GetRequiredService<BodyRecorder>());
    }

    public async Task<IReadOnlyList<SpecBlockResult>> RunAsync(SpecFile spec, CancellationToken cancellationToken)
    {
        var results = new List<SpecBlockResult>(spec.Blocks.Count);
        foreach (var block in spec.Blocks)
        {
            List<SpecMismatch> mismatches;
            try
            {
                mismatches = await RunBlockAsync(block, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                mismatches = [new SpecMismatch("run", block.Line, null, "the spec run reached its time limit")];
            }

            results.Add(new SpecBlockResult(block.Number, block.Name, block.Line, block.EndLine, mismatches));
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        return results;
    }

    private async Task<List<SpecMismatch>> RunBlockAsync(SpecBlock block, CancellationToken cancellationToken)
    {
        var mismatches = new List<SpecMismatch>();
        foreach (var setup in block.Setup)
        {
            if (await ApplyAsync(setup, cancellationToken) is { } failed)
            {
                mismatches.Add(failed);
            }
        }

        if (mismatches.Count > 0)
        {
            return mismatches;
        }

        var (request, expected, interpolation) = await InterpolateAsync(block, cancellationToken);
        if (interpolation is not null)
        {
            return [interpolation];
        }

        SpecRequest parsedRequest;
        SpecExpectation? parsedExpected;
        try
        {
            parsedRequest = SpecRequest.Parse(request, block.Request.FirstLine);
            parsedExpected = expected is null ? null : SpecExpectation.Parse(expected, block.Response!.FirstLine);
        }
        catch (SpecFormatException ex)
        {
            return [new SpecMismatch("format", ex.Line, null, ex.Message)];
        }

        var client = block.Request.Argument == "admin" ? _sandbox.Admin : _sandbox.Proxy;
        SpecResponse response;
        try
        {
            response = await SendAsync(client, parsedRequest, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return [new SpecMismatch("request", block.Request.FirstLine, null, ex.Message)];
        }

        if (parsedExpected is not null)
        {
            mismatches.AddRange(parsedExpected.Compare(response));
        }

        if (block.Eval is { } eval && await AssertAsync(eval, response, cancellationToken) is { } assertion)
        {
            mismatches.Add(assertion);
        }

        return mismatches;
    }

    private async Task<SpecMismatch?> ApplyAsync(SpecSetup setup, CancellationToken cancellationToken)
    {
        var what = $"setup {setup.Kind} {setup.Name}";
        if (setup.Kind == SpecSetup.Upstream)
        {
            var upstream = _sandbox.AddUpstream(setup.Name);
            return upstream.Accepted ? null : new SpecMismatch(what, setup.Line, null, upstream.Error);
        }

        var (source, fileError) = await SourceAsync(setup, cancellationToken);
        if (source is null)
        {
            return new SpecMismatch(what, setup.Line, null, fileError);
        }

        if (setup.Kind == SpecSetup.Module)
        {
            var module = await _sandbox.Scripts.ApplyModuleAsync(setup.Name, source, SpecSandbox.Origin, SpecSandbox.Origin, dryRun: false, cancellationToken);
            return module.Accepted ? null : new SpecMismatch(what, setup.Line, null, Describe(module.Error, module.Diagnostics.Concat(module.Dependents.SelectMany(static d => d.Diagnostics))));
        }

        var slash = setup.Name.IndexOf('/', StringComparison.Ordinal);
        if (!ScriptKey.TryCreate(slash < 0 ? setup.Name : setup.Name[..slash], slash < 0 ? null : setup.Name[(slash + 1)..], out var key, out var keyError))
        {
            return new SpecMismatch(what, setup.Line, null, keyError);
        }

        var script = await _sandbox.Scripts.ApplyAsync(key, source, SpecSandbox.Origin, SpecSandbox.Origin, dryRun: false, cancellationToken);
        return script.Accepted ? null : new SpecMismatch(what, setup.Line, null, Describe(script.Error, script.Diagnostics));
    }

    // "< path": a file under the spec's folder, never outside it.
    private async Task<(string? Source, string? Error)> SourceAsync(SpecSetup setup, CancellationToken cancellationToken)
    {
        if (!setup.Value.StartsWith('<'))
        {
            return (setup.Value, null);
        }

        if (_baseFolder is null)
        {
            return (null, "\"< file\" is read only from a spec file (./run.sh --spec, or Scripts/<host>/*.spec); inline the source with <<END");
        }

        var path = Path.GetFullPath(Path.Combine(_baseFolder, setup.Value[1..]));
        if (!path.StartsWith(_baseFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return (null, $"\"{setup.Value[1..]}\" is outside the spec's folder");
        }

        if (!File.Exists(path) || new FileInfo(path).Length > SpecParser.MaxBytes)
        {
            return (null, $"\"{setup.Value[1..]}\" does not exist or is over {SpecParser.MaxBytes} bytes");
        }

        return (await File.ReadAllTextAsync(path, cancellationToken), null);
    }

    private async Task<(List<string> Request, List<string>? Expected, SpecMismatch? Failure)> InterpolateAsync(SpecBlock block, CancellationToken cancellationToken)
    {
        var sections = block.Response is null ? new[] { block.Request } : [block.Request, block.Response];
        var found = new List<(string Expression, int Line)>();
        foreach (var section in sections)
        {
            for (var i = 0; i < section.Lines.Count; i++)
            {
                foreach (System.Text.RegularExpressions.Match match in SpecParser.Interpolations(section.Lines[i]))
                {
                    found.Add((match.Groups["expr"].Value, section.FirstLine + i));
                }
            }
        }

        if (found.Count == 0)
        {
            return ([.. block.Request.Lines], block.Response?.Lines.ToList(), null);
        }

        var (values, index, error) = await _evaluator.ValuesAsync([.. found.Select(static f => f.Expression)], cancellationToken);
        if (values is null || values.Count != found.Count)
        {
            var at = found[Math.Clamp(index, 0, found.Count - 1)];
            return ([], null, new SpecMismatch("{{" + at.Expression + "}}", at.Line, null, error ?? "no value"));
        }

        var next = 0;
        List<string> Substitute(SpecSection section) => [.. section.Lines.Select(line =>
            SpecParser.Interpolations(line).Count == 0 ? line : System.Text.RegularExpressions.Regex.Replace(line, @"\{\{(?:(?!\}\}).){0,1000}?\}\}", _ => values[next++], System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))];
        var request = Substitute(block.Request);
        return (request, block.Response is null ? null : Substitute(block.Response), null);
    }

    private async Task<SpecMismatch?> AssertAsync(SpecSection eval, SpecResponse response, CancellationToken cancellationToken)
    {
        var assertions = new List<(string Text, int Line)>();
        for (var i = 0; i < eval.Lines.Count; i++)
        {
            var text = eval.Lines[i].Trim();
            if (text.Length > 0 && !text.StartsWith('#') && !text.StartsWith("//", StringComparison.Ordinal))
            {
                assertions.Add((text.TrimEnd(';'), eval.FirstLine + i));
            }
        }

        if (assertions.Count == 0)
        {
            return null;
        }

        var (failed, error) = await _evaluator.AssertAsync([.. assertions.Select(static a => a.Text)], response, cancellationToken);
        if (failed < 0 && error is null)
        {
            return null;
        }

        var at = assertions[Math.Clamp(failed, 0, assertions.Count - 1)];
        return new SpecMismatch("assertion", at.Line, at.Text, error ?? "false");
    }

    private static async Task<SpecResponse> SendAsync(HttpClient client, SpecRequest request, CancellationToken cancellationToken)
    {
        using var message = request.ToMessage();
        using var answer = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            headers[name] = string.Join(", ", values);
        }

        await using var stream = await answer.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBodyBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        return new SpecResponse((int)answer.StatusCode, headers, Encoding.UTF8.GetString(buffer, 0, read));
    }

    private static string Describe(string? error, IEnumerable<ScriptDiagnostic> diagnostics) =>
        $"{error}: {string.Join("; ", diagnostics.Where(static d => d.IsError).Take(3))}";
}
