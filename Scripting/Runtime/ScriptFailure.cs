namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// Why an invocation failed, as plain strings: the exception itself is not kept, because its stack
/// trace refers to the script's code and would keep the script's load context alive.
/// </summary>
/// <param name="ExceptionType">Full name of the exception's type.</param>
/// <param name="Message">The exception's message.</param>
/// <param name="Line">The script line that failed (from the script's PDB), when known.</param>
/// <param name="Limit">For a budget failure, the limit that was exceeded.</param>
internal sealed record ScriptFailure(string ExceptionType, string Message, int? Line, BudgetLimit? Limit = null)
{
    /// <summary>For <see cref="ScriptRunStatus.UpstreamFailed"/>: no try got an answer in time (504) rather than at all (502).</summary>
    public bool UpstreamTimedOut { get; init; }

    public override string ToString() => Line is { } line ? $"line {line}: {ExceptionType}: {Message}" : $"{ExceptionType}: {Message}";
}
