namespace Slardar.Scriptable.Host.Services.Limits;

/// <summary>One limit's decisions since start (/status, /metrics).</summary>
internal sealed class LimitCounters
{
    private long _allowed;
    private long _rejected;
    private long _fallbacks;

    public long Allowed => Volatile.Read(ref _allowed);

    public long Rejected => Volatile.Read(ref _rejected);

    /// <summary>Cluster decisions taken by the fallback because Redis did not answer.</summary>
    public long Fallbacks => Volatile.Read(ref _fallbacks);

    public void Count(bool allowed) => Interlocked.Increment(ref allowed ? ref _allowed : ref _rejected);

    public void Fallback() => Interlocked.Increment(ref _fallbacks);
}
