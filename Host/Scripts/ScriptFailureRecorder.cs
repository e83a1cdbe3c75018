using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// What every phase does with a script that failed its invocation, whoever answers for it (an HTTP
/// response, a closed stream session): log it under a new error id, and count a budget overrun
/// (runaways included) toward the version's quarantine. One place for the rule.
/// </summary>
internal static partial class ScriptFailureRecorder
{
    /// <returns>The error id the log line carries, for the answer's detail.</returns>
    public static string Record(ILogger logger, ActiveScript script, in ScriptOutcome outcome)
    {
        var errorId = Guid.NewGuid().ToString("N")[..12];
        Log.ScriptFailed(logger, errorId, script.Key.Pattern, script.Key.PhaseName, script.Version, outcome.Status, outcome.Failure?.Line, outcome.Failure?.ToString());
        if (outcome.Status == ScriptRunStatus.BudgetExceeded)
        {
            var reason = (outcome.Runaway ? "runaway: " : string.Empty) + (outcome.Failure?.Message ?? "budget exceeded");
            if (script.Quarantine.RecordOverrun(reason))
            {
                Log.Quarantined(logger, script.Key.Pattern, script.Key.PhaseName, script.Version, script.Quarantine.State!.Failures, reason);
            }
        }

        return errorId;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Script error {ErrorId}: {Host}/{Phase} version {Version} {Status} at line {Line}: {Failure}")]
        public static partial void ScriptFailed(ILogger logger, string errorId, string host, string phase, int version, ScriptRunStatus status, int? line, string? failure);

        [LoggerMessage(2, LogLevel.Error, "Script {Host}/{Phase} version {Version} quarantined after {Failures} budget overruns (last: {Reason}); it refuses (503) until a new version or DELETE /script/{Host}/{Phase}/quarantine")]
        public static partial void Quarantined(ILogger logger, string host, string phase, int version, int failures, string reason);
    }
}
