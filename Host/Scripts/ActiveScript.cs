using System.Collections.Immutable;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Loading;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>The generation of one script that serves now, where it came from, and whether it is quarantined.</summary>
internal sealed record ActiveScript(
    ScriptKey Key,
    ScriptGeneration Generation,
    int Version,
    string Sha256,
    string Origin,
    DateTimeOffset UpdatedAt,
    string Source,
    ScriptLimits Limits,
    bool Trusted,
    ScriptLogAdapter Log,
    ScriptQuarantine Quarantine)
{
    /// <summary>The modules compiled into the generation, by name: a change to one of them recompiles this script.</summary>
    public ImmutableArray<string> Modules { get; init; } = [];

    /// <summary>The module set the generation was compiled against (to tell whether it is the current one).</summary>
    public ImmutableArray<ScriptModule> ModuleSet { get; init; } = [];
}
