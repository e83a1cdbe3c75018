namespace Slardar.Scriptable.Bench.Infrastructure;

/// <summary>The load every target gets in one comparison: the same threads, connections and duration.</summary>
internal sealed record WrkSettings(int Threads, int Connections, TimeSpan Duration)
{
    public string Describe() => $"wrk -t{Threads} -c{Connections} -d{Duration.TotalSeconds:F0}s --latency";
}
