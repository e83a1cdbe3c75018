using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// The budget hooks of module code, inserted by the compiler (the script's own hooks are instance
/// members of the script, which module code has no reference to): they charge the invocation that
/// runs now. That invocation is carried in an <see cref="AsyncLocal{T}"/> set only for scripts built
/// with modules, so it follows the script's awaits and costs nothing to scripts without modules.
/// Module code running with no invocation (nothing a script started) is not charged, but still
/// cannot overflow the stack. Not for scripts or modules to call: the names are reserved.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ScriptModuleHooks
{
    private static readonly AsyncLocal<ScriptBudget?> Current = new();

    /// <summary>A loop turn or a jump in module code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void __Tick(int line)
    {
        if (Current.Value is { } budget)
        {
            budget.Tick(line);
        }
    }

    /// <summary>The entry of a module method, accessor, local function or lambda.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void __Enter(int line)
    {
        if (Current.Value is { } budget)
        {
            budget.Enter(line);
        }
        else
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
        }
    }

    /// <summary>The exit (in a finally) of what <see cref="__Enter"/> entered.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void __Exit() => Current.Value?.Exit();

    /// <summary>The step of a module iterator (see ScriptBase.__Probe).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static void __Probe(int line)
    {
        __Enter(line);
        __Exit();
    }

    /// <summary>The match timeout of a Regex call in module code: the invocation's remaining time (see ScriptBase.__RegexTimeout).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static TimeSpan __RegexTimeout() => __RegexTimeout(Regex.InfiniteMatchTimeout);

    /// <summary>As <see cref="__RegexTimeout()"/>, for a call that named its own timeout.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static TimeSpan __RegexTimeout(TimeSpan requested) =>
        Current.Value is { } budget ? ScriptBase.RegexTimeout(budget.Remaining, requested) : requested;

    /// <summary>Makes <paramref name="budget"/> the one module code charges in this flow (and the awaits it starts); returns the previous one to restore.</summary>
    internal static ScriptBudget? Enter(ScriptBudget? budget)
    {
        var previous = Current.Value;
        Current.Value = budget;
        return previous;
    }
}
