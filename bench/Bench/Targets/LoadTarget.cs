using Slardar.Scriptable.Bench.Infrastructure;

namespace Slardar.Scriptable.Bench.Targets;

/// <summary>Something wrk is pointed at, and the process whose CPU and memory are billed for it.</summary>
/// <param name="LuaScript">A wrk script for this target (e.g. spreading requests over hosts); null sends plain GETs.</param>
internal sealed record LoadTarget(string Name, string Url, string? HostHeader, Func<ProcessSample> Sample, string? LuaScript = null);
