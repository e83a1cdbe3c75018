namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>Which limit of <see cref="ScriptLimits"/> stopped a script.</summary>
internal enum BudgetLimit
{
    Ticks,
    Duration,
    Depth,

    /// <summary>The thread's stack was nearly used up (before <see cref="Depth"/> was reached).</summary>
    Stack,

    /// <summary>The invocation allocated more than <see cref="ScriptLimits.MaxAllocatedBytes"/>.</summary>
    Allocation,

    /// <summary>
    /// The invocation outlived <see cref="ScriptLimits.MaxWallTime"/> (a content script's
    /// <c>content_timeout</c>), upstream I/O included: a slow upstream, not a runaway script.
    /// </summary>
    WallTime,
}
