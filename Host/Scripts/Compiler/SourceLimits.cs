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
