namespace Slardar.Scriptable.Scripting.Compilation;

internal enum ScriptCompileRefusalKind
{
    /// <summary>Over a limit checked before or while compiling: size, nesting depth, memory.</summary>
    Limit,

    /// <summary>The compile ran out of its wall time.</summary>
    TimedOut,

    /// <summary>The compiler crashed on this source (now, or earlier: it is marked and not retried).</summary>
    Crashed,

    /// <summary>The compile queue is full.</summary>
    Busy,

    /// <summary>The compile worker could not be started.</summary>
    Unavailable,
}
