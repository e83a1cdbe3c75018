namespace Slardar.Scriptable.Bench.Infrastructure;

/// <summary>What one wrk run reported.</summary>
internal sealed record WrkResult(
    double RequestsPerSecond,
    long Requests,
    double P50Ms,
    double P99Ms,
    long Non2xx,
    long SocketErrors);
