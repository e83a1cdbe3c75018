using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Host.Checkups.Outliers;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// Passive health of one (upstream, host:port): failures in the current window and how long the
/// peer is out. Successive generations of an upstream share it for peers that stay, so config edits
/// keep it. Written only under the owning upstream's lock; <see cref="Failures"/> and
/// <see cref="IsDown"/> are read without it. Times are <see cref="TimeProvider.GetTimestamp"/> values.
/// </summary>
internal sealed class PeerHealth
{
    private const long NotDown = long.MinValue;

    private int _failures;
    private long _lastFailure;
    private long _downUntil = NotDown;
    private long _takeOuts;

    /// <summary>Active (heartbeat) health of the same peer; shared across generations the same way.</summary>
    public ActiveHealth Active { get; } = new();

    /// <summary>Failures counted in the current window (raw; a lapsed window is reset on the next failure).</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Timestamp until which the peer is out, or null when it has not been taken out.</summary>
    public long? DownUntil => Volatile.Read(ref _downUntil) is var until and not NotDown ? until : null;

    public bool IsDown(long now) => now < Volatile.Read(ref _downUntil);

    /// <summary>
    /// Failures that still count at <paramref name="now"/>: 0 once the down window has ended or the
    /// peer has been quiet for a whole window, which <see cref="Failures"/> only shows at the next failure.
    /// </summary>
    public int FailuresAt(long now, long window)
    {
        var failures = Volatile.Read(ref _failures);
        return Lapsed(now, window, failures, Volatile.Read(ref _downUntil)) ? 0 : failures;
    }

    /// <summary>Counts a failure and returns the count in the current window.</summary>
    /// <param name="now">Current timestamp.</param>
    /// <param name="window">fail_timeout in timestamp units; the window runs from the last failure.</param>
    public int RecordFailure(long now, long window)
    {
        var failures = _failures;
        var downUntil = _downUntil;

        if (Lapsed(now, window, failures, downUntil))
        {
            failures = 0;
            Volatile.Write(ref _downUntil, NotDown);
        }

        Volatile.Write(ref _lastFailure, now);
        Volatile.Write(ref _failures, failures + 1);
        return failures + 1;
    }

    /// <summary>
    /// A success clears the count. It does not end a down window early: the success may come from a
    /// request that started before the failures, and the window is short anyway.
    /// </summary>
    public void RecordSuccess() => Volatile.Write(ref _failures, 0);

    public void MarkDown(long until)
    {
        Volatile.Write(ref _downUntil, until);
        Interlocked.Increment(ref _takeOuts);
    }

    /// <summary>Times passive health took the peer out (<see cref="MarkDown"/>), since the gateway started.</summary>
    public long TakeOuts => Volatile.Read(ref _takeOuts);

    /// <summary>Forgets failures and any down window.</summary>
    public void Revive()
    {
        Volatile.Write(ref _downUntil, NotDown);
        Volatile.Write(ref _failures, 0);
    }

    // A peer back from a down window, or quiet for a whole window, starts counting afresh.
    private bool Lapsed(long now, long window, int failures, long downUntil) =>
        (downUntil != NotDown && now >= downUntil) || (failures > 0 && now - Volatile.Read(ref _lastFailure) >= window);

    /// <summary>In-flight requests and latency (least_conn, ewma, /status); shared like the rest.</summary>
    public PeerLoad Load { get; } = new();

    /// <summary>5xx window and ejection (outlier detection); shared like the rest.</summary>
    public PeerOutlier Outlier { get; } = new();
}
