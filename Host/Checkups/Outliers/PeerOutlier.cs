namespace Slardar.Scriptable.Host.Checkups.Outliers;

/// <summary>
/// Outlier-detection state of one (upstream, host:port): 5xx counts over a sliding window of
/// <see cref="Buckets"/> time buckets, the current run of consecutive 5xx, and the ejection.
/// Kept with the peer's health, so config edits neither forget an ejection nor reset the counts.
/// Written only under the owning upstream's lock; the public properties read without it.
/// Times are <see cref="TimeProvider.GetTimestamp"/> values.
/// </summary>
internal sealed class PeerOutlier
{
    /// <summary>The window is the current bucket plus the 9 before it, i.e. between 90% and 100% of <c>window</c>.</summary>
    public const int Buckets = 10;

    private const long NotEjected = long.MinValue;
    private const long Unused = long.MinValue;

    private readonly long[] _epochs = [Unused, Unused, Unused, Unused, Unused, Unused, Unused, Unused, Unused, Unused];
    private readonly int[] _requests = new int[Buckets];
    private readonly int[] _errors = new int[Buckets];
    private long _bucketWidth;
    private int _consecutive;
    private bool _tripped;
    private long _ejectedUntil = NotEjected;
    private int _ejectionCount;
    private long _healthySince;
    private double _errorRate;
    private int _windowRequests;

    /// <summary>Timestamp the current (or last) ejection ends, or null if never ejected.</summary>
    public long? EjectedUntil => Volatile.Read(ref _ejectedUntil) is var until and not NotEjected ? until : null;

    /// <summary>Times ejected, less one per <c>base_ejection_time</c> spent back in service: the duration multiplier.</summary>
    public int EjectionCount => Volatile.Read(ref _ejectionCount);

    /// <summary>Current run of 5xx in a row.</summary>
    public int Consecutive5xx => Volatile.Read(ref _consecutive);

    /// <summary>5xx rate (0..1) in the window, as of the last evaluation.</summary>
    public double ErrorRate => Volatile.Read(ref _errorRate);

    /// <summary>Requests in the window, as of the last evaluation.</summary>
    public int WindowRequests => Volatile.Read(ref _windowRequests);

    public bool IsEjected(long now) => now < Volatile.Read(ref _ejectedUntil);

    /// <summary>
    /// Counts one outcome. Ignored while ejected: those are late answers to requests sent before the
    /// ejection, or panic-mode traffic, and the peer starts afresh when it comes back.
    /// </summary>
    /// <param name="error">A 5xx, or no answer at all.</param>
    /// <param name="now">Current timestamp.</param>
    /// <param name="bucketWidth">window / <see cref="Buckets"/> in timestamp units; a change resets the window.</param>
    /// <param name="consecutiveLimit">consecutive_5xx; 0 = off.</param>
    public void Record(bool error, long now, long bucketWidth, int consecutiveLimit)
    {
        if (IsEjected(now))
        {
            return;
        }

        if (bucketWidth != _bucketWidth)
        {
            ClearWindow();
            _bucketWidth = bucketWidth;
        }

        var epoch = now / bucketWidth;
        var slot = (int)(epoch % Buckets);
        if (_epochs[slot] != epoch)
        {
            _epochs[slot] = epoch;
            Volatile.Write(ref _requests[slot], 0);
            Volatile.Write(ref _errors[slot], 0);
        }

        Volatile.Write(ref _requests[slot], _requests[slot] + 1);
        if (!error)
        {
            Volatile.Write(ref _consecutive, 0);
            return;
        }

        Volatile.Write(ref _errors[slot], _errors[slot] + 1);
        Volatile.Write(ref _consecutive, _consecutive + 1);

        // Latched until the next evaluation, so a run that reached the limit still counts if a
        // success follows before the evaluator looks.
        if (consecutiveLimit > 0 && _consecutive >= consecutiveLimit)
        {
            _tripped = true;
        }
    }

    /// <summary>Requests and 5xx in the window ending at <paramref name="now"/>.</summary>
    public (int Requests, int Errors) CountWindow(long now, long bucketWidth)
    {
        if (bucketWidth != _bucketWidth || bucketWidth <= 0)
        {
            return (0, 0);
        }

        var epoch = now / bucketWidth;
        int requests = 0, errors = 0;
        for (var i = 0; i < Buckets; i++)
        {
            var bucketEpoch = _epochs[i];
            if (bucketEpoch != Unused && bucketEpoch <= epoch && bucketEpoch > epoch - Buckets)
            {
                requests += _requests[i];
                errors += _errors[i];
            }
        }

        return (requests, errors);
    }

    /// <summary>Stores what the evaluation saw, for /status.</summary>
    public void Publish(int requests, int errors)
    {
        Volatile.Write(ref _windowRequests, requests);
        Volatile.Write(ref _errorRate, requests == 0 ? 0 : (double)errors / requests);
    }

    /// <summary>Whether the consecutive rule tripped since the last call; clears the latch.</summary>
    public bool TakeTripped()
    {
        var tripped = _tripped;
        _tripped = false;
        return tripped;
    }

    /// <summary>
    /// Lowers the multiplier by one for each whole <paramref name="baseUnits"/> spent out of
    /// ejection since the last ejection ended (Envoy's decay), whatever the evaluation interval.
    /// </summary>
    public void DecayMultiplier(long now, long baseUnits)
    {
        if (_ejectionCount == 0 || IsEjected(now) || baseUnits <= 0)
        {
            return;
        }

        var steps = (now - _healthySince) / baseUnits;
        if (steps <= 0)
        {
            return;
        }

        Volatile.Write(ref _ejectionCount, (int)Math.Max(0, _ejectionCount - steps));
        _healthySince += steps * baseUnits;
    }

    /// <summary>Takes the peer out until <paramref name="until"/> and starts its counts afresh.</summary>
    public void Eject(long until, int ejectionCount)
    {
        Volatile.Write(ref _ejectionCount, ejectionCount);
        Volatile.Write(ref _ejectedUntil, until);
        _healthySince = until;
        ClearWindow();
        Volatile.Write(ref _consecutive, 0);
        _tripped = false;
    }

    /// <summary>
    /// Ends a current ejection now (the peer proved itself otherwise); the multiplier stays and
    /// decays from here as after any ejection. Returns whether the peer was ejected.
    /// </summary>
    public bool EndEjection(long now)
    {
        if (!IsEjected(now))
        {
            return false;
        }

        Volatile.Write(ref _ejectedUntil, now);
        _healthySince = now;
        return true;
    }

    private void ClearWindow()
    {
        for (var i = 0; i < Buckets; i++)
        {
            _epochs[i] = Unused;
            Volatile.Write(ref _requests[i], 0);
            Volatile.Write(ref _errors[i], 0);
        }
    }
}
