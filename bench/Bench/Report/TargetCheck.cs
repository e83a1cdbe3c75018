namespace Slardar.Scriptable.Bench.Report;

/// <summary>One target of issue 5 with the figure measured for it in this run.</summary>
/// <param name="Target">The target as stated (e.g. "throughput ≥ 1.0× the peer").</param>
/// <param name="Measured">The figure, as a ratio where the target is one.</param>
/// <param name="Met">Whether the figure meets the target.</param>
internal sealed record TargetCheck(string Target, string Measured, bool Met);
