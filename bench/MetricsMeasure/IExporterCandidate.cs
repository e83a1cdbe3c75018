namespace Slardar.Scriptable.MetricsMeasure;

/// <summary>One way to turn the gateway's meter into Prometheus text, listening from construction.</summary>
internal interface IExporterCandidate : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Serves the exposition at <c>/metrics</c> on a loopback port (null: the candidate only listens, as the baseline does).</summary>
    Task<Uri?> StartServingAsync();
}
