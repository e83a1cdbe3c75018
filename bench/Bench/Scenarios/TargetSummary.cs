namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>A target's medians over the rounds of one comparison, and its peak memory.</summary>
/// <param name="BytesPerRequest">Managed bytes allocated per request (NaN for targets that are not .NET).</param>
internal sealed record TargetSummary(string Name, double Rps, double P50Ms, double P99Ms, double CpuPer10k, long PeakRssBytes, long Errors, int Rounds, double BytesPerRequest);
