namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// A running sum. Integer measurements go to a long (one interlocked add, exact at any count);
/// floating ones to a double (compare-exchange loop). The value is their sum.
/// </summary>
internal sealed class SumCell
{
    private long _integer;
    private double _floating;

    public double Value => Interlocked.Read(ref _integer) + Volatile.Read(ref _floating);

    public void Add(long value) => Interlocked.Add(ref _integer, value);

    public void Add(double value) => InterlockedDouble.Add(ref _floating, value);
}
