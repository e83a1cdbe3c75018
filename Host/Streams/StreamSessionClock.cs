namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// A session's idle timeout (nginx's <c>proxy_timeout</c>: no byte either way) and optional maximum
/// lifetime, on one timer of the injected clock. The copy loops only stamp activity; the timer
/// wakes at the nearer deadline, re-arms for what is left, and calls <c>expired</c> once.
/// </summary>
internal sealed class StreamSessionClock : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _idle;
    private readonly long _endsAt;
    private readonly Action<StreamEndReason> _expired;
    private readonly ITimer _timer;
    private long _lastActivity;
    private int _fired;

    /// <param name="maxSessionTime">The longest life of the session from now; null = unbounded.</param>
    public StreamSessionClock(TimeProvider time, TimeSpan idle, TimeSpan? maxSessionTime, Action<StreamEndReason> expired)
    {
        _time = time;
        _idle = idle;
        _expired = expired;
        var now = time.GetTimestamp();
        _lastActivity = now;
        _endsAt = maxSessionTime is { } max ? now + (long)(max.TotalSeconds * time.TimestampFrequency) : long.MaxValue;
        _timer = time.CreateTimer(static state => ((StreamSessionClock)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Arm(now);
    }

    /// <summary>Bytes moved: the idle timeout counts from now.</summary>
    public void Touch() => Volatile.Write(ref _lastActivity, _time.GetTimestamp());

    public void Dispose()
    {
        Volatile.Write(ref _fired, 1);
        _timer.Dispose();
    }

    private void OnTimer()
    {
        if (Volatile.Read(ref _fired) != 0)
        {
            return;
        }

        var now = _time.GetTimestamp();
        var reason = now >= _endsAt ? StreamEndReason.MaxSessionTime
            : _time.GetElapsedTime(Volatile.Read(ref _lastActivity), now) >= _idle ? StreamEndReason.IdleTimeout
            : (StreamEndReason?)null;
        if (reason is null)
        {
            Arm(now);
            return;
        }

        if (Interlocked.Exchange(ref _fired, 1) == 0)
        {
            _expired(reason.Value);
        }
    }

    private void Arm(long now)
    {
        var idleLeft = _idle - _time.GetElapsedTime(Volatile.Read(ref _lastActivity), now);
        var due = idleLeft;
        if (_endsAt != long.MaxValue)
        {
            var maxLeft = TimeSpan.FromSeconds((double)(_endsAt - now) / _time.TimestampFrequency);
            due = maxLeft < due ? maxLeft : due;
        }

        try
        {
            _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The session ended while the timer was re-armed.
        }
    }
}
