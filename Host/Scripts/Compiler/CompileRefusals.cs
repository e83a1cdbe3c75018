using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Host.Scripts.Compiler;

/// <summary>The refusals the compile path answers with; each names its limit and the key that sets it.</summary>
internal static class CompileRefusals
{
    public static ScriptCompileRefusal Limit(string id, string message) => new(ScriptCompileRefusalKind.Limit, id, message);

    public static ScriptCompileRefusal TooDeep(string where, CompilerSettings settings) => Limit(
        "SLS0102", $"script nests too deep: {where}; the limit is {settings.MaxNestingDepth} ({CompilerSettings.Prefix}MaxNestingDepth)");

    public static ScriptCompileRefusal TimedOut(CompilerSettings settings, bool workerReplaced) => new(
        ScriptCompileRefusalKind.TimedOut, "SLS0103",
        $"compile timed out after {settings.Timeout.TotalSeconds:0.###} s ({CompilerSettings.Prefix}TimeoutSeconds)"
        + (workerReplaced ? "; the compile worker did not answer and was replaced" : string.Empty));

    public static ScriptCompileRefusal OutOfMemory(CompilerSettings settings) => Limit(
        "SLS0104", $"the compiler ran out of memory on this script ({settings.MemoryLimitMb} MB, {CompilerSettings.Prefix}MemoryLimitMb); the compile worker was replaced");

    public static ScriptCompileRefusal Crashed(int exitCode) => new(
        ScriptCompileRefusalKind.Crashed, "SLS0105",
        $"the compiler crashed on this source (the compile worker exited with code {exitCode} and was restarted); it is not compiled again");

    public static ScriptCompileRefusal CrashedEarlier() => new(
        ScriptCompileRefusalKind.Crashed, "SLS0105",
        "the compiler crashed on this source earlier; it is not sent to the compiler again until the source or the gateway's build changes");

    public static ScriptCompileRefusal QueueFull(CompilerSettings settings) => new(
        ScriptCompileRefusalKind.Busy, "SLS0106",
        $"compile queue is full ({settings.QueueLimit} waiting, {CompilerSettings.Prefix}QueueLimit); try again later");

    public static ScriptCompileRefusal Unavailable(string reason) => new(
        ScriptCompileRefusalKind.Unavailable, "SLS0108", $"the compile worker is not available: {reason}");
}
