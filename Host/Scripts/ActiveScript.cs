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
    ScriptQuarantine Quarantine);
