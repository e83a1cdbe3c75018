using System.Collections.Immutable;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>A script that would no longer compile after a module change (<c>host/phase</c>), and why.</summary>
internal sealed record DependentFailure(string Script, ImmutableArray<ScriptDiagnostic> Diagnostics);
