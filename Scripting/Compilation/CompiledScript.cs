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
    ImmutableArray<ScriptDiagnostic> Warnings);
