namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// Thrown into a script that ran past its <see cref="ScriptLimits"/>. It fails that invocation only;
/// the budget stays exceeded, so a script that catches it is stopped again at its next loop turn or
/// call, and its invocation counts as over budget even if it then returns normally.
/// </summary>
internal sealed class ScriptBudgetExceededException : Exception
{
    public ScriptBudgetExceededException(BudgetLimit limit, string message, int? line)
        : base(message)
    {
        Limit = limit;
        Line = line;
    }

    public BudgetLimit Limit { get; }

    /// <summary>The script line where the budget ran out, when known.</summary>
    public int? Line { get; }
}
