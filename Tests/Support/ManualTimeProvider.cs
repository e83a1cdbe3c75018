namespace Slardar.Scriptable.Tests.Support;

/// <summary>
/// A clock that moves only when told to: wall time and timestamps advance together, so code that
/// measures with either sees the same elapsed time. Timers are not faked (not needed yet).
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _utcNow;
    private long _timestamp;

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

    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_lock)
        {
            _utcNow += delta;
            _timestamp += delta.Ticks;
        }
    }
}
