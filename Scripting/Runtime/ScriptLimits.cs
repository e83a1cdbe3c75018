namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// How much one invocation of a script may do before it is stopped. Set per script at compile time
/// (<c>ScriptCompileRequest.Limits</c>) and overridable per run.
/// </summary>
internal sealed record ScriptLimits
{
    private readonly long _maxTicks;
    private readonly TimeSpan _maxDuration;
    private readonly int _maxDepth;
    private readonly long _maxAllocatedBytes = DefaultMaxAllocatedBytes;
    private readonly TimeSpan _maxWallTime = DefaultMaxWallTime;

    public ScriptLimits(long maxTicks, TimeSpan maxDuration, int maxDepth)
    {
        MaxTicks = maxTicks;
        MaxDuration = maxDuration;
        MaxDepth = maxDepth;
    }

    /// <summary>64 MiB: what one invocation may allocate unless its host's <c>budget_mb</c> says otherwise.</summary>
    public const long DefaultMaxAllocatedBytes = 64L * 1024 * 1024;

    /// <summary>60 s: a content script's <c>content_timeout</c> unless its host sets one.</summary>
    public static readonly TimeSpan DefaultMaxWallTime = TimeSpan.FromSeconds(60);

    /// <summary>5,000,000 ticks, 50 ms, depth 100, 64 MiB: tens of milliseconds of runaway at most.</summary>
    public static ScriptLimits Default { get; } = new(5_000_000, TimeSpan.FromMilliseconds(50), 100);

    /// <summary>
    /// Loop turns, <c>goto</c>s and local function or lambda entries, together. At a few nanoseconds
    /// each, the default stops <c>while (true) { }</c> in the order of ten milliseconds.
    /// </summary>
    public long MaxTicks
    {
        get => _maxTicks;
        init => _maxTicks = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxTicks), value, "Must be positive.");
    }

    /// <summary>
    /// Wall-clock time from the start of the invocation (when a script thread takes it; the wait for
    /// one is bounded apart, <see cref="ScriptRuntime.QueueTimeout"/>), awaits included except a content
    /// script's waits on upstream I/O (bounded by <see cref="MaxWallTime"/> instead): checked every
    /// <see cref="ScriptBudget.CheckInterval"/> ticks, and by the runner while the script awaits.
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns the check off.
    /// </summary>
    public TimeSpan MaxDuration
    {
        get => _maxDuration;
        init => _maxDuration = value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDuration), value, "Must be positive or infinite.");
    }

    /// <summary>
    /// Nesting of local function and lambda calls. Independently of it, every entry also checks that
    /// the thread has stack left, so recursion never overflows the stack (which would end the process).
    /// </summary>
    public int MaxDepth
    {
        get => _maxDepth;
        init => _maxDepth = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxDepth), value, "Must be positive.");
    }

    /// <summary>
    /// Bytes the invocation may allocate (on the threads it ran on), read at every loop turn, jump and
    /// call: one allocation larger than what is left is not prevented, the next instrumented point
    /// stops the script. <see cref="long.MaxValue"/> turns the check off.
    /// </summary>
    public long MaxAllocatedBytes
    {
        get => _maxAllocatedBytes;
        init => _maxAllocatedBytes = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxAllocatedBytes), value, "Must be positive.");
    }

    /// <summary>
    /// Wall-clock time from the start of the invocation, waits on upstream I/O included (a content
    /// script's <c>content_timeout</c>). <see cref="MaxDuration"/> stops counting while the script
    /// waits on the gateway's upstream calls (<see cref="ScriptBudget.BeginIoWait"/>); this bound does
    /// not. <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan MaxWallTime
    {
        get => _maxWallTime;
        init => _maxWallTime = value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxWallTime), value, "Must be positive or infinite.");
    }
}
