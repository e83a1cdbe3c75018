namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>What one probe of one peer found.</summary>
/// <param name="Status">The verdict.</param>
/// <param name="Message">Why the peer is not Ok (e.g. "connection refused", "timeout", "status 502"); null when Ok.</param>
/// <param name="Extra">Fields merged into the peer's /status entry (redis: <c>replication</c>, <c>redis_version</c>).</param>
internal sealed record ProbeResult(PeerHealthStatus Status, string? Message = null, IReadOnlyDictionary<string, object?>? Extra = null)
{
    public static ProbeResult Ok(IReadOnlyDictionary<string, object?>? extra = null) => new(PeerHealthStatus.Ok, null, extra);

    public static ProbeResult Unstable(string message, IReadOnlyDictionary<string, object?>? extra = null) =>
        new(PeerHealthStatus.Unstable, message, extra);

    public static ProbeResult Err(string message) => new(PeerHealthStatus.Err, message);
}
