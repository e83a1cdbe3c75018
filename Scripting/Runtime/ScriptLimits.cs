namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// How much one invocation of a script may do before it is stopped.
/// </summary>
/// <param name="MaxTicks">
/// Loop iterations, <c>goto</c>s and local function or lambda entries, together. At a few nanoseconds
/// each, the default stops <c>while (true) { }</c> in the order of ten milliseconds.
/// </param>
/// <param name="MaxDuration">
/// Wall-clock time from the start of the invocation, awaits included; checked every
/// <see cref="ScriptBudget.CheckInterval"/> ticks and when an await outlives it.
/// <see cref="Timeout.InfiniteTimeSpan"/> turns the check off.
/// </param>
/// <param name="MaxDepth">
/// Nesting of local function and lambda calls. Independently of it, every entry also checks that the
/// thread has stack left, so deep recursion never overflows the stack (which would end the process).
/// </param>
internal sealed record ScriptLimits(long MaxTicks, TimeSpan MaxDuration, int MaxDepth)
{
    public static ScriptLimits Default { get; } = new(5_000_000, TimeSpan.FromMilliseconds(50), 100);

    public long MaxTicks { get; } = MaxTicks > 0 ? MaxTicks : throw new ArgumentOutOfRangeException(nameof(MaxTicks), MaxTicks, "Must be positive.");

    public TimeSpan MaxDuration { get; } = MaxDuration > TimeSpan.Zero || MaxDuration == Timeout.InfiniteTimeSpan
        ? MaxDuration
        : throw new ArgumentOutOfRangeException(nameof(MaxDuration), MaxDuration, "Must be positive or infinite.");

    public int MaxDepth { get; } = MaxDepth > 0 ? MaxDepth : throw new ArgumentOutOfRangeException(nameof(MaxDepth), MaxDepth, "Must be positive.");
}
