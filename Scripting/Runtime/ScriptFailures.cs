using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>Turns what stopped a script into an outcome the host can report.</summary>
internal static class ScriptFailures
{
    public static ScriptOutcome ToOutcome(Exception exception, ScriptBudget budget, Assembly script, TimeSpan elapsed, CancellationToken cancellation)
    {
        // The budget decides first: a script may catch the budget exception and throw something else.
        // Only once it was thrown into the script: a mark the script never saw did not stop it.
        var limit = (budget.Enforced ? budget.Exceeded : null) ?? (exception as ScriptBudgetExceededException)?.Limit ?? RegexLimit(exception, budget);
        if (limit is { } exceeded)
        {
            // The hooks know the exact line; a stack trace of optimized code (a long loop is
            // compiled on stack replacement) may point elsewhere.
            var line = budget.ExceededAtLine ?? FindScriptLine(exception, script);
            var failure = new ScriptFailure(typeof(ScriptBudgetExceededException).FullName!, budget.Describe(exceeded), line, exceeded);
            return new ScriptOutcome(StatusOf(exceeded), default, failure, elapsed);
        }

        if (exception is Api.UpstreamUnavailableException upstream)
        {
            var failure = new ScriptFailure(exception.GetType().FullName!, ScriptText.Truncate(exception.Message), FindScriptLine(exception, script)) { UpstreamTimedOut = upstream.TimedOut };
            return new ScriptOutcome(ScriptRunStatus.UpstreamFailed, default, failure, elapsed);
        }

        if (exception is OperationCanceledException && cancellation.IsCancellationRequested)
        {
            return new ScriptOutcome(ScriptRunStatus.Canceled, default, new ScriptFailure(exception.GetType().FullName!, "The request was aborted.", null), elapsed);
        }

        // The message is the script's text: capped, or one throw writes megabytes to the log.
        var faulted = new ScriptFailure(exception.GetType().FullName!, ScriptText.Truncate(exception.Message), FindScriptLine(exception, script));
        return new ScriptOutcome(ScriptRunStatus.Faulted, default, faulted, elapsed);
    }

    /// <summary>How an invocation stopped by <paramref name="limit"/> ended: the wall bound is a timeout, the others an overrun.</summary>
    public static ScriptRunStatus StatusOf(BudgetLimit limit) => limit == BudgetLimit.WallTime ? ScriptRunStatus.TimedOut : ScriptRunStatus.BudgetExceeded;

    // The compiler bounds every regex match by the budget's remaining time: a match that timed out
    // with (almost) no time left ran out of the script's budget, not of a timeout the script chose.
    // Almost: regex measures its timeout on Environment.TickCount64, a coarse clock (4-16 ms).
    private static BudgetLimit? RegexLimit(Exception exception, ScriptBudget budget) =>
        exception is RegexMatchTimeoutException && budget.Remaining <= RegexClockSlack ? BudgetLimit.Duration : null;

    private static readonly TimeSpan RegexClockSlack = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The script line closest to where <paramref name="exception"/> was thrown, read through the
    /// script's in-memory PDB (whose lines are the user's, by the <c>#line</c> mapping); null when no
    /// frame of the script has a line.
    /// </summary>
    public static int? FindScriptLine(Exception exception, Assembly script)
    {
        var frames = new StackTrace(exception, fNeedFileInfo: true).GetFrames();
        foreach (var frame in frames)
        {
            if (frame.GetMethod()?.Module.Assembly == script && frame.GetFileLineNumber() is > 0 and var line)
            {
                return line;
            }
        }

        return null;
    }
}
