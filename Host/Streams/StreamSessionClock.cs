using System.Net.Sockets;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// A session's deadlines on one timer of the injected clock: first each connect try's timeout, then
/// the idle timeout (nginx's <c>proxy_timeout</c>: no byte either way) and the optional maximum
/// lifetime. One timer per session instead of a timed cancellation source per connect: a connect
/// that runs out of time has its socket shut down, which ends the connect (or the TLS handshake) at
/// once. The copy loops only stamp activity; the timer wakes at the nearest deadline, re-arms for
/// what is left, and calls <c>expired</c> once.
/// </summary>
internal sealed class StreamSessionClock : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Action<StreamEndReason> _expired;
    private readonly ITimer _timer;
    private TimeSpan _idle = Timeout.InfiniteTimeSpan;
    private long _endsAt = long.MaxValue;
    private long _lastActivity;
    private bool _relaying;
    private Socket? _connecting;
    private long _connectBy;
    private int _fired;

    public StreamSessionClock(TimeProvider time, Action<StreamEndReason> expired)
    {
        _time = time;
        _expired = expired;
        _timer = time.CreateTimer(static state => ((StreamSessionClock)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A connect try starts: <paramref name="socket"/> is shut down if it has not connected within <paramref name="timeout"/>.</summary>
    public void BeginConnect(Socket socket, TimeSpan timeout)
    {
        var now = _time.GetTimestamp();
        Volatile.Write(ref _connectBy, now + ToTimestamp(timeout));
        Volatile.Write(ref _connecting, socket);
        Arm(now);
    }

    /// <summary>The connect try ended (either way); true when its time had run out and its socket was shut down for it.</summary>
    public bool EndConnect() => Interlocked.Exchange(ref _connecting, null) is null;

    /// <summary>The session is connected: the idle timeout counts from now, the lifetime from <paramref name="startedAt"/> (null = unbounded).</summary>
    public void StartRelay(TimeSpan idle, long startedAt, TimeSpan? maxSessionTime)
    {
        var now = _time.GetTimestamp();
        _idle = idle;
        _endsAt = maxSessionTime is { } max ? startedAt + ToTimestamp(max) : long.MaxValue;
        Volatile.Write(ref _lastActivity, now);
        Volatile.Write(ref _relaying, true);
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
        if (Volatile.Read(ref _connecting) is not null && now >= Volatile.Read(ref _connectBy))
        {
            // Taken from the connect (EndConnect then reports the timeout): shutting it down fails the
            // connect (or the TLS handshake); its owner closes it (StreamSession.Abort says why).
            StreamSockets.ShutDownQuietly(Interlocked.Exchange(ref _connecting, null));
        }

        var reason = !Volatile.Read(ref _relaying) ? (StreamEndReason?)null
            : now >= _endsAt ? StreamEndReason.MaxSessionTime
            : _time.GetElapsedTime(Volatile.Read(ref _lastActivity), now) >= _idle ? StreamEndReason.IdleTimeout
            : null;
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

    // The nearest deadline still ahead: the pending connect's, then (once relaying) the idle and lifetime ones.
    private void Arm(long now)
    {
        var due = Timeout.InfiniteTimeSpan;
        if (Volatile.Read(ref _connecting) is not null)
        {
            due = Earlier(due, Until(Volatile.Read(ref _connectBy), now));
        }

        if (Volatile.Read(ref _relaying))
        {
            due = Earlier(due, _idle - _time.GetElapsedTime(Volatile.Read(ref _lastActivity), now));
            if (_endsAt != long.MaxValue)
            {
                due = Earlier(due, Until(_endsAt, now));
            }
        }

        if (due == Timeout.InfiniteTimeSpan)
        {
            return;
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

    private static TimeSpan Earlier(TimeSpan current, TimeSpan candidate) =>
        current == Timeout.InfiniteTimeSpan || candidate < current ? candidate : current;

    private TimeSpan Until(long timestamp, long now) => TimeSpan.FromSeconds((double)(timestamp - now) / _time.TimestampFrequency);

    private long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}
