using System.Diagnostics.Metrics;

namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// The process's own memory and collector figures, read at scrape time: what an operator watches
/// for leaks across script reloads (resident set, managed heap, collections by generation).
/// </summary>
internal static class ProcessMetrics
{
    public static void Register(GatewayMetrics metrics)
    {
        metrics.Meter.CreateObservableGauge("process_resident_memory_bytes", static () => Environment.WorkingSet, unit: "By",
            description: "Resident memory of the gateway process.");
        metrics.Meter.CreateObservableGauge("dotnet_gc_heap_size_bytes", static () => GC.GetGCMemoryInfo().HeapSizeBytes, unit: "By",
            description: "Managed heap size after the last garbage collection.");
        metrics.Meter.CreateObservableCounter("dotnet_gc_allocated_bytes_total", static () => GC.GetTotalAllocatedBytes(), unit: "By",
            description: "Bytes allocated on the managed heap since start.");
        metrics.Meter.CreateObservableCounter("dotnet_gc_collections_total", static () => Collections(),
            description: "Garbage collections since start, by generation.");
    }

    private static IEnumerable<Measurement<long>> Collections()
    {
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            yield return new Measurement<long>(GC.CollectionCount(generation),
                new KeyValuePair<string, object?>("generation", generation.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
