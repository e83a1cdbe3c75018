using System.Text;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Host.Scripts.Compiler;

/// <summary>
/// What the gateway checks before a source goes to the worker, without Roslyn: its size, and how deep
/// its brackets nest (a lexical scan that skips comments, strings and character literals). Keyword
/// nesting without brackets is the worker's syntax-depth check.
/// </summary>
internal static class SourceLimits
{
    /// <summary>The script and each module it may use, each on its own against the limits.</summary>
    public static ScriptCompileRefusal? Check(ScriptCompileRequest request, CompilerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Check(request.Source, settings) is { } refusal)
        {
            return refusal;
        }

        foreach (var module in request.Modules)
        {
            if (Check(module.Source, settings) is { } moduleRefusal)
            {
                return CompileRefusals.Limit(moduleRefusal.Id, $"module {module.Name}: {moduleRefusal.Message}");
            }
        }

        return null;
    }

    public static ScriptCompileRefusal? Check(string source, CompilerSettings settings)
    {
        var bytes = Encoding.UTF8.GetByteCount(source);
        if (bytes > settings.MaxSourceBytes)
        {
            return CompileRefusals.Limit(
                "SLS0101", $"script is {bytes} bytes, over the limit of {settings.MaxSourceBytes} bytes ({CompilerSettings.Prefix}MaxSourceBytes)");
        }

        return BracketDepth.FindDeeperThan(source, settings.MaxNestingDepth) is { } line
            ? CompileRefusals.TooDeep($"its brackets nest more than {settings.MaxNestingDepth} deep (at line {line})", settings)
            : null;
    }
}
