namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// Per-script counters for metrics: invocations by outcome and the duration percentiles of the most
/// recent <see cref="ReservoirSize"/> invocations. Recording is lock-free (interlocked counters and
/// one slot write in a ring); a snapshot copies and sorts the ring, which is cheap at this size and
/// happens only on a metrics scrape. Owned by the host per script (host and phase), so it outlives
/// the script's generations.
/// </summary>
internal sealed class ScriptCounters
{
    /// <summary>Durations kept for the percentiles; a power of two so the ring index is a mask.</summary>
    public const int ReservoirSize = 1024;

    private readonly long[] _durations = new long[ReservoirSize];
    private long _invocations;
    private long _faulted;
    private long _budgetExceeded;
    private long _canceled;
    private long _runaways;
    private long _timedOut;
    private long _upstreamFailed;

    /// <param name="runaway">The watchdog answered for a script that did not stop (counted among the budget overruns too).</param>
    public void Record(ScriptRunStatus status, TimeSpan elapsed, bool runaway = false)
    {
        var sequence = Interlocked.Increment(ref _invocations);
        if (runaway)
        {
            Interlocked.Increment(ref _runaways);
        }

        switch (status)
        {
            case ScriptRunStatus.Faulted:
                Interlocked.Increment(ref _faulted);
                break;
            case ScriptRunStatus.BudgetExceeded:
                Interlocked.Increment(ref _budgetExceeded);
                break;
            case ScriptRunStatus.Canceled:
                Interlocked.Increment(ref _canceled);
                break;
            case ScriptRunStatus.TimedOut:
                Interlocked.Increment(ref _timedOut);
                break;
            case ScriptRunStatus.UpstreamFailed:
                Interlocked.Increment(ref _upstreamFailed);
                break;
        }

        Volatile.Write(ref _durations[(sequence - 1) & (ReservoirSize - 1)], elapsed.Ticks);
    }

    public ScriptCountersSnapshot Snapshot()
    {
        var invocations = Volatile.Read(ref _invocations);
        var count = (int)Math.Min(invocations, ReservoirSize);
        var durations = new long[count];
        for (var i = 0; i < count; i++)
        {
            durations[i] = Volatile.Read(ref _durations[i]);
        }

        Array.Sort(durations);
        return new ScriptCountersSnapshot(
            invocations,
            Volatile.Read(ref _faulted),
            Volatile.Read(ref _budgetExceeded),
            Volatile.Read(ref _canceled),
            Volatile.Read(ref _runaways),
            Volatile.Read(ref _timedOut),
            Volatile.Read(ref _upstreamFailed),
            Percentile(durations, 0.50),
            Percentile(durations, 0.99));
    }

    // Nearest rank: the smallest sample with at least p of the samples at or below it.
    private static TimeSpan Percentile(long[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length);
        return TimeSpan.FromTicks(sorted[Math.Clamp(rank, 1, sorted.Length) - 1]);
    }
}
