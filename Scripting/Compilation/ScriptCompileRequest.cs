using System.Collections.Immutable;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>A script to compile.</summary>
/// <param name="Source">The statement body, with optional <c>using</c> directives on top.</param>
/// <param name="Phase">Which phase's API the script is compiled against.</param>
internal sealed record ScriptCompileRequest(string Source, ScriptPhase Phase)
{
    /// <summary>The name diagnostics and stack traces give the script, e.g. <c>admin.example.com/rewrite.csx</c>.</summary>
    public string Path { get; init; } = "script.csx";

    /// <summary>Lifts the guard rails on APIs and constructs (not the run-time budget). Not a sandbox either way.</summary>
    public bool Trusted { get; init; }

    /// <summary>The limits the script's invocations run with by default.</summary>
    public ScriptLimits Limits { get; init; } = ScriptLimits.Default;

    /// <summary>
    /// Every module the script may use (the gateway's current set): the compile takes into the image
    /// only those the script reaches by a namespace or type, and names them in <see cref="CompiledScript.Modules"/>.
    /// </summary>
    public ImmutableArray<ScriptModule> Modules { get; init; } = [];

    /// <summary>Checks the modules themselves: all of them go into the image (the source is usually empty).</summary>
    public bool AllModules { get; init; }
}
