namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>One wrk run against one target.</summary>
internal sealed record RoundResult(double Rps, double P50Ms, double P99Ms, double CpuPer10k, long Errors, double BytesPerRequest);
