namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>How one script invocation ended.</summary>
internal enum ScriptRunStatus
{
    /// <summary>The script returned; its <see cref="ScriptOutcome.Result"/> applies.</summary>
    Completed,

    /// <summary>The script threw: the request fails with 500.</summary>
    Faulted,

    /// <summary>The script ran past its <see cref="ScriptLimits"/>: the request fails with 500.</summary>
    BudgetExceeded,

    /// <summary>The request was aborted while the script ran (or waited for a script thread).</summary>
    Canceled,

    /// <summary>
    /// No script thread took the invocation within its queue timeout: the script did not run, the
    /// machine was too busy. Not the script's failure: it is not counted against it.
    /// </summary>
    NotStarted,

    /// <summary>
    /// A content script outlived its <c>content_timeout</c> (<see cref="BudgetLimit.WallTime"/>),
    /// upstream waits included: answered 504. A slow upstream, not the script's overrun: never
    /// counted toward quarantine.
    /// </summary>
    TimedOut,

    /// <summary>
    /// The script let an upstream failure through (an uncaught <c>UpstreamUnavailableException</c>):
    /// answered 502 or 504 with the proxy's error codes, as if the proxy had made the call.
    /// </summary>
    UpstreamFailed,
}
