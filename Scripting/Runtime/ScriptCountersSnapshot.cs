namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>A point-in-time copy of <see cref="ScriptCounters"/>; percentiles cover recent invocations.</summary>
internal sealed record ScriptCountersSnapshot(
    long Invocations,
    long Faulted,
    long BudgetExceeded,
    long Canceled,
    long Runaways,
    long TimedOut,
    long UpstreamFailed,
    TimeSpan P50,
    TimeSpan P99);
