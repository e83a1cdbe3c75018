namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// One histogram series: a count per bucket (not cumulative, so an observation touches one slot)
/// and the sum. Cumulative counts and the total are computed at scrape time from the same reads, so
/// the <c>+Inf</c> bucket always equals <c>_count</c> even while requests keep recording.
/// </summary>
internal sealed class HistogramCell
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private double _sum;

    /// <param name="bounds">Upper bounds, ascending, without +Inf (the last slot is the +Inf bucket).</param>
    public HistogramCell(double[] bounds)
    {
        _bounds = bounds;
        _counts = new long[bounds.Length + 1];
    }

    public double Sum => Volatile.Read(ref _sum);

    public void Observe(double value)
    {
        Interlocked.Increment(ref _counts[BucketOf(value)]);
        InterlockedDouble.Add(ref _sum, value);
    }

    /// <summary>Fills <paramref name="cumulative"/> (one slot per bucket, +Inf last) and returns the total count.</summary>
    public long CopyCumulative(Span<long> cumulative)
    {
        long total = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            total += Interlocked.Read(ref _counts[i]);
            cumulative[i] = total;
        }

        return total;
    }

    private int BucketOf(double value)
    {
        // Buckets are "less than or equal": a value on a bound belongs to that bound's bucket.
        // NaN falls through to +Inf, the one bucket that holds every observation.
        if (double.IsNaN(value))
        {
            return _bounds.Length;
        }

        var index = Array.BinarySearch(_bounds, value);
        return index >= 0 ? index : ~index;
    }
}
