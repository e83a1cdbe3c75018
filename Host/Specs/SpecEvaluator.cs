using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Slardar.Scriptable.Host.Bodies;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Loading;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Specs;

/// <summary>
/// Runs a spec's C# (<c>{{expr}}</c> values and <c>--- response_eval</c> assertions) as what it is: a
/// script, compiled by the compile worker under the scripts' guard rails, with the sandbox's modules,
/// loaded in its own collectible context and run under a script budget. Each expression sits on its
/// own line of the generated script, so a diagnostic's line says which one it is.
/// </summary>
internal sealed class SpecEvaluator
{
    private const char Separator = '\u0001';
    private static readonly ScriptLimits Limits = ScriptLimits.Default with { MaxDuration = TimeSpan.FromSeconds(2) };

    private readonly CompiledScriptCache _cache;
    private readonly ScriptCatalog _catalog;
    private readonly BodyRecorder _bodies;

    public SpecEvaluator(CompiledScriptCache cache, ScriptCatalog catalog, BodyRecorder bodies)
    {
        _cache = cache;
        _catalog = catalog;
        _bodies = bodies;
    }

    /// <summary>The values of <paramref name="expressions"/> as text, or the error of the one that failed (its index, the message).</summary>
    public async Task<(IReadOnlyList<string>? Values, int Index, string? Error)> ValuesAsync(IReadOnlyList<string> expressions, CancellationToken cancellationToken)
    {
        var source = new StringBuilder("var values = new List<string>();\n");
        foreach (var expression in expressions)
        {
            source.Append("values.Add(((object?)(").Append(expression).Append("))?.ToString() ?? \"\");\n");
        }

        source.Append("return Exit(200, string.Join('\\u0001', values));\n");
        var (result, index, error) = await RunAsync(source.ToString(), firstLine: 2, new ScriptVars(), cancellationToken);
        return error is null ? (result.Body?.Split(Separator) ?? [], -1, null) : (null, index, error);
    }

    /// <summary>The index of the first assertion that is false (-1 when all hold), or the error of the one that failed.</summary>
    public async Task<(int Failed, string? Error)> AssertAsync(IReadOnlyList<string> assertions, SpecResponse response, CancellationToken cancellationToken)
    {
        var source = new StringBuilder("var Response = SpecResponse.From(Vars);\n");
        for (var i = 0; i < assertions.Count; i++)
        {
            source.Append("if (!(").Append(assertions[i]).Append(")) return Exit(417, \"").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\");\n");
        }

        source.Append("return Exit(200);\n");
        var vars = new ScriptVars { [SpecResponse.VarName] = response };
        var (result, index, error) = await RunAsync(source.ToString(), firstLine: 2, vars, cancellationToken);
        if (error is not null)
        {
            return (index, error);
        }

        return result.Status == 417 ? (int.Parse(result.Body!, CultureInfo.InvariantCulture), null) : (-1, null);
    }

    private async Task<(ScriptResult Result, int Index, string? Error)> RunAsync(string source, int firstLine, ScriptVars vars, CancellationToken cancellationToken)
    {
        var request = new ScriptCompileRequest(source, ScriptPhases.Default.Phase) { Path = "spec.csx", Limits = Limits, Modules = _catalog.Modules };
        var compiled = await _cache.CompileAsync("spec", request, cancellationToken);
        if (!compiled.Success)
        {
            var error = compiled.Errors.First();
            return (default, Math.Max(0, error.Line - firstLine), $"{error.Id}: {error.Message}");
        }

        var generation = ScriptGeneration.Load(compiled.Script);
        try
        {
            var context = new ScriptRequestContext(new HttpScriptRequest(new DefaultHttpContext(), null, _bodies), vars, SpecLog.Instance);
            var outcome = await generation.RunAsync(context, cancellationToken: cancellationToken);
            return outcome.Succeeded
                ? (outcome.Result, -1, null)
                : (default, Math.Max(0, (outcome.Failure?.Line ?? firstLine) - firstLine), $"{outcome.Status}: {outcome.Failure?.Message}");
        }
        finally
        {
            generation.Retire();
        }
    }

    /// <summary>A spec's C# has nowhere to log to.</summary>
    private sealed class SpecLog : IScriptLog
    {
        public static readonly SpecLog Instance = new();

        public void Debug(string message)
        {
        }

        public void Info(string message)
        {
        }

        public void Warn(string message)
        {
        }

        public void Error(string message)
        {
        }
    }
}
