using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// The budget of one script invocation. The compiler makes every loop turn and <c>goto</c> call
/// <see cref="Tick"/> and every local function and lambda call <see cref="Enter"/>/<see cref="Exit"/>.
/// <para>
/// Every tick reads the thread's allocation counter (a few nanoseconds, no clock): the script's own
/// allocations are what it allocated on the thread between two of its ticks, and when its flow moved
/// to another thread or another work item ran in between (<see cref="ScriptThreadPool.CurrentSlice"/>),
/// the count goes on from the start of the new work item. The clock is read every <see cref="CheckInterval"/> ticks; in
/// the gateway the <see cref="ScriptWatchdog"/> marks a budget at its deadline, so that the next tick
/// stops the script whatever the interval.
/// </para>
/// <para>
/// It lives on the invocation (the script instance holds it), not in a <c>[ThreadStatic]</c>: a script
/// that awaits resumes on another thread. Not synchronized: one invocation runs on one thread at a
/// time; a script that runs its own async flows side by side may lose counts, which only makes the
/// budget less exact (the stack check does not depend on it).
/// </para>
/// </summary>
internal sealed class ScriptBudget
{
    /// <summary>Ticks between clock and cancellation checks: reading the clock on every tick would cost more than the tick.</summary>
    public const int CheckInterval = 1024;

    private readonly TimeProvider _time;
    private readonly CancellationToken _cancellation;
    private readonly long _startedAt;
    private readonly long _wallDeadline;
    private readonly Lock _ioLock = new();
    private long _deadline;
    private long _stallAllowance;
    private int _ioWaits;
    private long _ioWaitStartedAt;
    private long _ticks;
    private long _nextCheck;
    private int _depth;
    private long _allocated;
    private long _allocatedAtLastRead;
    private long _slice;

    // A BudgetLimit, or -1: an int, because the runner may mark the budget from another thread.
    private int _exceeded = -1;
    private int _exceededAt;
    private bool _enforced;

    public ScriptBudget(ScriptLimits limits, TimeProvider time, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(time);
        Limits = limits;
        _time = time;
        _cancellation = cancellation;
        _startedAt = time.GetTimestamp();
        _deadline = limits.MaxDuration == Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : AddSaturating(_startedAt, (long)Math.Min(limits.MaxDuration.TotalSeconds * time.TimestampFrequency, long.MaxValue));
        _stallAllowance = _deadline == long.MaxValue ? 0 : _deadline - _startedAt;
        _wallDeadline = limits.MaxWallTime == Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : AddSaturating(_startedAt, (long)Math.Min(limits.MaxWallTime.TotalSeconds * time.TimestampFrequency, long.MaxValue));
        _nextCheck = NextCheckAfter(0);
        BeginSlice();
    }

    public ScriptLimits Limits { get; }

    public long Ticks => _ticks;

    public int Depth => _depth;

    /// <summary>Bytes the script allocated as of its last instrumented point (or this read).</summary>
    public long Allocated
    {
        get
        {
            ReadAllocated();
            return _allocated;
        }
    }

    /// <summary>The limit the script ran past, or null while it is within its budget.</summary>
    public BudgetLimit? Exceeded => Volatile.Read(ref _exceeded) is >= 0 and var limit ? (BudgetLimit)limit : null;

    /// <summary>
    /// Whether the budget exception was thrown into the script. A budget the watchdog marked while the
    /// script was already on its way out (throwing, or returning) did not stop it: the script's own
    /// ending counts, so a script that throws on a cold first call is not an overrun.
    /// </summary>
    public bool Enforced => Volatile.Read(ref _enforced);

    /// <summary>The script line where the budget ran out (the loop, jump or function), when known.</summary>
    public int? ExceededAtLine => _exceededAt > 0 ? _exceededAt : null;

    /// <summary>Time left before <see cref="ScriptLimits.MaxDuration"/>; infinite when there is no limit (or while the script waits on I/O).</summary>
    public TimeSpan Remaining
    {
        get
        {
            var deadline = Deadline;
            if (deadline == long.MaxValue)
            {
                return Timeout.InfiniteTimeSpan;
            }

            var now = _time.GetTimestamp();
            return now < deadline ? _time.GetElapsedTime(now, deadline) : TimeSpan.Zero;
        }
    }

    /// <summary>The wall-clock bound (<see cref="ScriptLimits.MaxWallTime"/>) as a timestamp of the budget's clock; <see cref="long.MaxValue"/> without one.</summary>
    public long WallDeadline => _wallDeadline;

    /// <summary>Whether the script waits on upstream I/O now (its time budget does not run meanwhile).</summary>
    public bool WaitingOnIo
    {
        get
        {
            lock (_ioLock)
            {
                return _ioWaits > 0;
            }
        }
    }

    /// <summary>
    /// The script starts waiting on the gateway's upstream I/O (a content script's call, a body read,
    /// a write to the client): until the matching <see cref="EndIoWait"/> its time budget stands still
    /// (the deadline moves by the wait), so a slow upstream is bounded by
    /// <see cref="ScriptLimits.MaxWallTime"/>, not charged as the script's own time. Waits may overlap
    /// (a script awaiting two calls at once); the clock stands still while any runs. Ticks and
    /// allocations still count.
    /// </summary>
    public void BeginIoWait()
    {
        lock (_ioLock)
        {
            if (_ioWaits++ == 0)
            {
                _ioWaitStartedAt = _time.GetTimestamp();
            }
        }
    }

    /// <summary>Ends a wait begun by <see cref="BeginIoWait"/>.</summary>
    public void EndIoWait()
    {
        lock (_ioLock)
        {
            if (_ioWaits == 0)
            {
                return;
            }

            if (--_ioWaits == 0 && _deadline != long.MaxValue)
            {
                _deadline = AddSaturating(_deadline, Math.Max(0, _time.GetTimestamp() - _ioWaitStartedAt));
            }
        }
    }

    /// <summary>
    /// The whole process stood still for <paramref name="units"/> of the budget's clock (the watchdog
    /// saw it): the time budget moves on by it, by one more <see cref="ScriptLimits.MaxDuration"/> at
    /// most over the invocation's life. Nothing moves during an I/O wait: the wait already stops it.
    /// </summary>
    /// <returns>Whether the deadline moved.</returns>
    public bool ExcuseStall(long units)
    {
        lock (_ioLock)
        {
            var excused = Math.Min(units, _stallAllowance);
            if (excused <= 0 || _ioWaits > 0)
            {
                return false;
            }

            _stallAllowance -= excused;
            _deadline = AddSaturating(_deadline, excused);
            return true;
        }
    }

    /// <summary>One loop turn or jump at script line <paramref name="line"/>. The common case is an increment and a compare.</summary>
    public void Tick(int line = 0)
    {
        if (++_ticks >= _nextCheck | ReadAllocated() > Limits.MaxAllocatedBytes)
        {
            Check(line);
        }
    }

    /// <summary>Entry of the local function or lambda at <paramref name="line"/>: a tick, the depth limit and the stack guard.</summary>
    public void Enter(int line = 0)
    {
        Tick(line);
        if (_depth >= Limits.MaxDepth)
        {
            Exceed(BudgetLimit.Depth, line);
        }

        // A stack overflow cannot be caught and ends the process; stop well before it.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            Exceed(BudgetLimit.Stack, line);
        }

        _depth++;
    }

    public void Exit()
    {
        if (_depth > 0)
        {
            _depth--;
        }
    }

    /// <summary>
    /// The time budget's deadline as a timestamp of the budget's clock, moved on by every finished I/O
    /// wait; <see cref="long.MaxValue"/> without a time limit and while the script waits on I/O.
    /// </summary>
    public long Deadline
    {
        get
        {
            lock (_ioLock)
            {
                return _ioWaits > 0 ? long.MaxValue : _deadline;
            }
        }
    }

    // Counting starts where the budget is made: on the script's thread (ScriptInvocation.Begin), or
    // on the caller's for a script run inline.
    private void BeginSlice()
    {
        _slice = SliceOfThisThread();
        _allocatedAtLastRead = GC.GetAllocatedBytesForCurrentThread();
    }

    /// <summary>Marks the budget exceeded from outside the script (the watchdog at the deadline, or an await outlived it).</summary>
    public void MarkExceeded(BudgetLimit limit)
    {
        Interlocked.CompareExchange(ref _exceeded, (int)limit, -1);
        Volatile.Write(ref _nextCheck, long.MinValue);
    }

    public ScriptBudgetExceededException CreateException(BudgetLimit limit)
    {
        Volatile.Write(ref _enforced, true);
        return new(limit, Describe(limit), ExceededAtLine);
    }

    public string Describe(BudgetLimit limit) => limit switch
    {
        BudgetLimit.Ticks => string.Create(CultureInfo.InvariantCulture, $"The script exceeded its budget of {Limits.MaxTicks} loop turns and calls."),
        BudgetLimit.Duration => string.Create(CultureInfo.InvariantCulture, $"The script exceeded its time budget of {Limits.MaxDuration.TotalMilliseconds} ms."),
        BudgetLimit.Depth => string.Create(CultureInfo.InvariantCulture, $"The script exceeded its call depth limit of {Limits.MaxDepth}."),
        BudgetLimit.Allocation => string.Create(CultureInfo.InvariantCulture, $"The script exceeded its allocation budget of {Limits.MaxAllocatedBytes / (1024.0 * 1024.0):0.##} MiB."),
        BudgetLimit.WallTime => string.Create(CultureInfo.InvariantCulture, $"The script did not finish within its content_timeout of {Limits.MaxWallTime.TotalSeconds} s (upstream waits included)."),
        _ => "The script nearly exhausted the thread's stack (unbounded recursion?).",
    };

    // Out of line so Tick stays small enough to inline into the script's loops.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Check(int line)
    {
        if (Exceeded is { } exceeded)
        {
            // Sticky: a script that caught the exception is stopped again at its next tick.
            throw CreateException(exceeded);
        }

        if (_ticks > Limits.MaxTicks)
        {
            Exceed(BudgetLimit.Ticks, line);
        }

        if (_allocated > Limits.MaxAllocatedBytes)
        {
            Exceed(BudgetLimit.Allocation, line);
        }

        var now = _time.GetTimestamp();
        if (now >= _wallDeadline)
        {
            Exceed(BudgetLimit.WallTime, line);
        }

        if (now >= Deadline)
        {
            Exceed(BudgetLimit.Duration, line);
        }

        if (_cancellation.IsCancellationRequested)
        {
            _nextCheck = long.MinValue;
            throw new OperationCanceledException(_cancellation);
        }

        _nextCheck = NextCheckAfter(_ticks);
    }

    /// <summary>
    /// Adds what this thread allocated since the last read, when the flow is still in the same slice;
    /// otherwise (an await resumed it on another thread, or after other work) counts from the start of
    /// the new slice, losing only what was allocated between the last read of the old slice and its end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long ReadAllocated()
    {
        var now = GC.GetAllocatedBytesForCurrentThread();
        var slice = SliceOfThisThread();
        if (slice == _slice)
        {
            _allocated += now - _allocatedAtLastRead;
        }
        else
        {
            // On a script thread everything the work item allocated so far is the flow's.
            _allocated += slice > 0 ? now - ScriptThreadPool.CurrentSliceStartAllocated : 0;
            _slice = slice;
        }

        _allocatedAtLastRead = now;
        return _allocated;
    }

    // Script threads number their work items; any other thread is known by a number of its own (a flow
    // that resumes on a pool thread after other work there over-counts that work; scripts run on script threads).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long SliceOfThisThread() => ScriptThreadPool.CurrentSlice;

    [DoesNotReturn]
    private void Exceed(BudgetLimit limit, int line)
    {
        _exceededAt = line;
        MarkExceeded(limit);
        throw CreateException(limit);
    }

    // The check also runs exactly one tick past the limit, so MaxTicks ticks are allowed and no more.
    private long NextCheckAfter(long ticks) =>
        Math.Min(ticks + CheckInterval, Limits.MaxTicks == long.MaxValue ? long.MaxValue : Limits.MaxTicks + 1);

    private static long AddSaturating(long timestamp, long units) =>
        timestamp > long.MaxValue - units ? long.MaxValue : timestamp + units;
}
