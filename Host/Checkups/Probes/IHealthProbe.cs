namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>
/// One active check of one peer for one checkups heartbeat type (<c>typ</c>). Scheduling and status
/// bookkeeping (sensibility, protected) belong to the caller.
/// </summary>
internal interface IHealthProbe
{
    /// <summary>The checkups <c>typ</c> this probe implements, e.g. "http".</summary>
    string Type { get; }

    /// <summary>
    /// Checks <paramref name="host"/>:<paramref name="port"/> within <see cref="ProbeSettings.Timeout"/>.
    /// A failing peer gives an Err result, never an exception; cancelling <paramref name="ct"/> throws
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<ProbeResult> ProbeAsync(string host, int port, ProbeSettings settings, CancellationToken ct);
}
