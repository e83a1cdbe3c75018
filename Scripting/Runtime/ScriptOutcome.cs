using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// The end of one script invocation. On <see cref="ScriptRunStatus.Completed"/> <see cref="Result"/>
/// says what to do; otherwise <see cref="Failure"/> says why the host should answer 500 (and log it
/// under the request's id).
/// </summary>
internal readonly record struct ScriptOutcome(ScriptRunStatus Status, ScriptResult Result, ScriptFailure? Failure, TimeSpan Elapsed)
{
    public bool Succeeded => Status == ScriptRunStatus.Completed;

    /// <summary>
    /// The script had not stopped by its deadline (stuck in a library call or an await): the
    /// watchdog answered for it and its flow was abandoned. Always with <see cref="ScriptRunStatus.BudgetExceeded"/> (or <see cref="ScriptRunStatus.TimedOut"/>).
    /// </summary>
    public bool Runaway { get; init; }
}
