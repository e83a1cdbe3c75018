namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// One timer for every running invocation (not one per invocation): each <see cref="Period"/> it
/// looks at the invocations in flight. At its deadline an invocation's budget is marked exceeded, so
/// the script's next tick stops it without reading a clock; one period later, an invocation that
/// still has not ended (its thread is inside a long library call, or it awaits something) is
/// answered as over budget and counted as a runaway, and its flow is left to end on its own. A
/// request whose client went away is answered as canceled the same way.
/// <para>
/// The bound: instrumented code stops at most about one period after its deadline (plus the timer's
/// own lateness on a busy machine); the client is answered at most about two periods after it.
/// The timer runs while invocations are watched and stops after a second without any.
/// </para>
/// <para>
/// A process that stood still (a GC pause, or a machine so loaded that this timer came more than a
/// period late) ran no script meanwhile: that time moves the budgets' deadlines on instead of being
/// charged to whatever was running, up to one more budget per invocation (so a runaway on a machine
/// that keeps stalling still stops), and a marked invocation gets one more period after the stall to
/// end. Without this an overload alone made healthy one-line scripts "overrun" and quarantined them.
/// </para>
/// </summary>
internal sealed class ScriptWatchdog : IDisposable
{
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromMilliseconds(5);

    // Passes over an empty list before the timer stops.
    private const int IdlePassesBeforeStop = 200;

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly long _grace;
    private readonly Func<TimeSpan>? _pauses;
    private long _lastPass;
    private long _pausedAtLastPass;
    private ScriptInvocation? _head;
    private int _count;
    private bool _running;
    private int _idlePasses;
    private bool _disposed;

    /// <param name="pauses">The process's total pause time so far (<see cref="GC.GetTotalPauseDuration"/>), in the same clock as <paramref name="time"/>; null: only the timer's lateness shows a stall.</param>
    public ScriptWatchdog(TimeProvider time, TimeSpan? period = null, Func<TimeSpan>? pauses = null)
    {
        _pauses = pauses;
        ArgumentNullException.ThrowIfNull(time);
        Period = period ?? DefaultPeriod;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Period, TimeSpan.Zero);
        _time = time;
        _grace = (long)(Period.TotalSeconds * time.TimestampFrequency);
        _timer = time.CreateTimer(static s => ((ScriptWatchdog)s!).Pass(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TimeSpan Period { get; }

    public TimeProvider Time => _time;

    /// <summary>Invocations watched now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public void Watch(ScriptInvocation invocation)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            invocation.WatchNext = _head;
            if (_head is not null)
            {
                _head.WatchPrevious = invocation;
            }

            _head = invocation;
            invocation.Watched = true;
            _count++;
            _idlePasses = 0;
            if (!_running)
            {
                _running = true;
                _lastPass = 0;
                _timer.Change(Period, Period);
            }
        }
    }

    /// <summary>Idempotent: the flow and the watchdog may both let go of an invocation.</summary>
    public void Unwatch(ScriptInvocation invocation)
    {
        lock (_lock)
        {
            Remove(invocation);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer.Dispose();
        }
    }

    private void Pass()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (_head is null)
            {
                if (++_idlePasses >= IdlePassesBeforeStop && _running)
                {
                    _running = false;
                    _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                }

                return;
            }

            var now = _time.GetTimestamp();
            var stall = Stall(now);
            for (var invocation = _head; invocation is not null;)
            {
                var next = invocation.WatchNext;
                if (invocation.Watch(now, _grace, stall))
                {
                    Remove(invocation);
                }

                invocation = next;
            }
        }
    }

    // How long the process stood still since the last pass: the runtime's pause time, or this pass's
    // lateness when it came more than one period late (the pause made the timer late too: not added).
    private long Stall(long now)
    {
        var paused = _pauses is null ? 0 : (long)(_pauses().TotalSeconds * _time.TimestampFrequency);
        var late = _lastPass == 0 ? 0 : now - _lastPass - _grace;
        var pausedSince = _lastPass == 0 ? 0 : paused - _pausedAtLastPass;
        _lastPass = now;
        _pausedAtLastPass = paused;
        return Math.Max(pausedSince, late > _grace ? late : 0);
    }

    private void Remove(ScriptInvocation invocation)
    {
        if (!invocation.Watched)
        {
            return;
        }

        if (invocation.WatchPrevious is { } previous)
        {
            previous.WatchNext = invocation.WatchNext;
        }
        else
        {
            _head = invocation.WatchNext;
        }

        if (invocation.WatchNext is { } next)
        {
            next.WatchPrevious = invocation.WatchPrevious;
        }

        invocation.WatchNext = null;
        invocation.WatchPrevious = null;
        invocation.Watched = false;
        _count--;
    }
}
