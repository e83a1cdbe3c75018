using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Services.Limits;

/// <summary>
/// One key's state under nginx's limit_req algorithm: a level that drains at the rate and takes one
/// per request; a request that would lift it past burst + 1 is refused and changes nothing. The same
/// arithmetic runs in Redis for cluster limits (<see cref="ClusterLimiter"/>).
/// </summary>
internal sealed class LimitBucket
{
    private double _level;
    private long _last;
    private double _rate = double.MaxValue;

    public LimitBucket(long now)
    {
        _last = now;
    }

    /// <summary>Timestamp of the last admitted request.</summary>
    public long Last => Volatile.Read(ref _last);

    public LimitDecision TryTake(double rate, double capacity, long now, long frequency)
    {
        lock (this)
        {
            var elapsed = Math.Max(0, now - _last) / (double)frequency;
            var level = Math.Max(0, _level - (rate * elapsed)) + 1;
            if (level > capacity)
            {
                return new LimitDecision(false, TimeSpan.FromSeconds((level - capacity) / rate), 0);
            }

            _level = level;
            _last = now;
            _rate = rate;
            return new LimitDecision(true, TimeSpan.Zero, (long)Math.Floor(capacity - level));
        }
    }

    /// <summary>Whether the bucket has drained completely by <paramref name="now"/> (it can be forgotten).</summary>
    public bool IsDrained(long now, long frequency)
    {
        lock (this)
        {
            return _level - (_rate * Math.Max(0, now - _last) / frequency) <= 0;
        }
    }
}
