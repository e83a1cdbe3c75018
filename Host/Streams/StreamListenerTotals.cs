namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// One listener address's running totals for /metrics: sessions ended per status and bytes per
/// direction. A session adds to them atomically (no measurement with tag hashing per counter); the
/// metrics read them at scrape time. Kept per address, not per listener, so totals survive a
/// listener removed and added again.
/// </summary>
internal sealed class StreamListenerTotals
{
    // The statuses the proxy gives; anything else is counted apart.
    private static readonly int[] KnownStatuses =
    [
        StreamStatus.Ok, StreamStatus.Refused, StreamStatus.ClientClosed, StreamStatus.ScriptFailed,
        StreamStatus.ConnectFailed, StreamStatus.Overloaded, StreamStatus.ConnectTimedOut,
    ];
    private static readonly string[] KnownStatusTexts = [.. KnownStatuses.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private readonly long[] _sessions = new long[KnownStatuses.Length];
    private readonly Dictionary<int, long> _otherSessions = [];
    private long _bytesUp;
    private long _bytesDown;

    public StreamListenerTotals(string listener) => Listener = listener;

    public string Listener { get; }

    public long BytesUp => Interlocked.Read(ref _bytesUp);

    public long BytesDown => Interlocked.Read(ref _bytesDown);

    public void Record(int status, long bytesUp, long bytesDown)
    {
        var slot = Array.IndexOf(KnownStatuses, status);
        if (slot >= 0)
        {
            Interlocked.Increment(ref _sessions[slot]);
        }
        else
        {
            lock (_otherSessions)
            {
                _otherSessions[status] = _otherSessions.GetValueOrDefault(status) + 1;
            }
        }

        Interlocked.Add(ref _bytesUp, bytesUp);
        Interlocked.Add(ref _bytesDown, bytesDown);
    }

    /// <summary>The statuses seen so far and their session counts.</summary>
    public List<(string Status, long Sessions)> Sessions()
    {
        var sessions = new List<(string, long)>();
        for (var slot = 0; slot < KnownStatuses.Length; slot++)
        {
            if (Interlocked.Read(ref _sessions[slot]) is > 0 and var count)
            {
                sessions.Add((KnownStatusTexts[slot], count));
            }
        }

        lock (_otherSessions)
        {
            sessions.AddRange(_otherSessions.Select(other => (other.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), other.Value)));
        }

        return sessions;
    }
}
