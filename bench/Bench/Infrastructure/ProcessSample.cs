namespace Slardar.Scriptable.Bench.Infrastructure;

/// <summary>CPU time and memory of a process and its children at one moment.</summary>
/// <param name="CpuSeconds">User + system CPU of the process tree so far.</param>
/// <param name="RssBytes">Resident set now (summed over the tree).</param>
/// <param name="PeakRssBytes">Peak resident set (VmHWM, summed over the tree).</param>
internal readonly record struct ProcessSample(double CpuSeconds, long RssBytes, long PeakRssBytes);
