namespace Slardar.Scriptable.Tests.Support;

/// <summary>
/// Tests use FakeTimeProvider (Microsoft.Extensions.TimeProvider.Testing); this clock stays for what
/// that one lacks: a clock that stands still while timers run in real time (the default here), and
/// fake timers that each fire at their own due time when one Advance passes several of them
/// (FakeTimeProvider 10.x moves the clock to the end first, so a watchdog that marks at one period and
/// answers at the next sees both at once).
/// A clock that moves only when told to: wall time and timestamps advance together, so code that
/// measures with either sees the same elapsed time. Timers are real unless <see cref="FakeTimers"/>
/// is set; then they fire only inside <see cref="Advance"/>, on the advancing thread.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _utcNow;
    private long _timestamp;
    private readonly List<ManualTimer> _timers = [];

    public ManualTimeProvider()
        : this(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public ManualTimeProvider(DateTimeOffset start)
    {
        _utcNow = start;

        // Not zero, so code that treats 0 as "never" is not accidentally right.
        _timestamp = TimeSpan.FromHours(1).Ticks;
    }

    /// <summary>Timers fire when <see cref="Advance"/> passes their due time (off: real timers, as code under test used before).</summary>
    public bool FakeTimers { get; init; }

    // One timestamp unit per TimeSpan tick keeps conversions exact.
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _utcNow;
        }
    }

    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _timestamp;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (!FakeTimers)
        {
            return base.CreateTimer(callback, state, dueTime, period);
        }

        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Moves the clock without firing timers, as a process that stood still (a GC pause, an overloaded
    /// machine) sees it: the timers that came due meanwhile fire late, at the next <see cref="Advance"/>.
    /// </summary>
    public void Stall(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_lock)
        {
            _timestamp += delta.Ticks;
            _utcNow += delta;
        }
    }

    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        long target;
        lock (_lock)
        {
            target = _timestamp + delta.Ticks;
        }

        // Fire due timers in due order, moving the clock to each one's due time first.
        while (true)
        {
            ManualTimer? due;
            lock (_lock)
            {
                due = _timers.Where(t => t.DueAt <= target).MinBy(t => t.DueAt);
                var until = due?.DueAt ?? target;
                _utcNow += TimeSpan.FromTicks(Math.Max(0, until - _timestamp));
                _timestamp = Math.Max(_timestamp, until);
                if (due is null)
                {
                    return;
                }

                due.Reschedule();
            }

            due.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private long _period;

        public long DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
                _period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = owner._timestamp + dueTime.Ticks;
                    owner._timers.Add(this);
                }
            }

            return true;
        }

        /// <summary>Under the owner's lock: the next due time of a periodic timer, or off.</summary>
        public void Reschedule()
        {
            if (_period > 0)
            {
                DueAt += _period;
            }
            else
            {
                owner._timers.Remove(this);
            }
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
