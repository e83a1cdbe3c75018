namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>One in-process operation's cost: medians over the timed batches.</summary>
/// <param name="Name">The operation, as the report names it.</param>
/// <param name="Nanoseconds">Time per call.</param>
/// <param name="BytesAllocated">Managed bytes allocated per call.</param>
internal sealed record HitCost(string Name, double Nanoseconds, double BytesAllocated);
