using System.Collections.Immutable;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>The last compile attempt of a script, shown in /scripts: a file that failed to compile is visible here while the last good version serves.</summary>
internal sealed record ScriptCompileState(bool Compiled, string Origin, DateTimeOffset At, ImmutableArray<ScriptDiagnostic> Diagnostics);
