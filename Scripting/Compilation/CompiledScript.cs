using System.Collections.Immutable;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// A compiled script, ready to load: the IL image and its portable PDB (for line numbers in
/// failures), plus what it was compiled as. Plain bytes: holding it keeps nothing loaded.
/// </summary>
internal sealed record CompiledScript(
    ScriptPhase Phase,
    string AssemblyName,
    string Path,
    ImmutableArray<byte> Image,
    ImmutableArray<byte> Pdb,
    ScriptLimits Limits,
    bool Trusted,
    ImmutableArray<ScriptDiagnostic> Warnings)
{
    /// <summary>The modules compiled into the image (those the script uses, directly or through another module), by name.</summary>
    public ImmutableArray<string> Modules { get; init; } = [];
}
