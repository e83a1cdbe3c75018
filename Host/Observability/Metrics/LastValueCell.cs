namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>The latest value reported for a gauge or an observed (already cumulative) counter.</summary>
internal sealed class LastValueCell
{
    private double _value;

    public double Value => Volatile.Read(ref _value);

    public void Set(double value) => Volatile.Write(ref _value, value);
}
