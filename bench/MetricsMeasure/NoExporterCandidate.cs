namespace Slardar.Scriptable.MetricsMeasure;

/// <summary>The baseline: instruments with no listener, so a measurement is a flag check.</summary>
internal sealed class NoExporterCandidate : IExporterCandidate
{
    public string Name => "no exporter";

    public Task<Uri?> StartServingAsync() => Task.FromResult<Uri?>(null);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
