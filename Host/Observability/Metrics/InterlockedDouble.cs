namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>Lock-free addition on a double; <see cref="Interlocked"/> only exchanges doubles.</summary>
internal static class InterlockedDouble
{
    public static void Add(ref double location, double value)
    {
        var current = Volatile.Read(ref location);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref location, current + value, current);

            // Compare bit patterns: a NaN total never equals itself and would spin forever.
            if (BitConverter.DoubleToInt64Bits(seen) == BitConverter.DoubleToInt64Bits(current))
            {
                return;
            }

            current = seen;
        }
    }
}
