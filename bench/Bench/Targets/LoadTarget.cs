using Slardar.Scriptable.Bench.Infrastructure;

namespace Slardar.Scriptable.Bench.Targets;

/// <summary>Something wrk is pointed at, and the process whose CPU and memory are billed for it.</summary>
/// <param name="LuaScript">A wrk script for this target (e.g. spreading requests over hosts); null sends plain GETs.</param>
/// <param name="AllocatedBytes">The target's managed allocations so far (a gateway's <c>dotnet_gc_allocated_bytes_total</c>); null when it has none.</param>
internal sealed record LoadTarget(string Name, string Url, string? HostHeader, Func<ProcessSample> Sample, string? LuaScript = null,
    Func<Task<double>>? AllocatedBytes = null)
{
    public static LoadTarget For(string name, GatewayInstance gateway, string? hostHeader, string? luaScript = null) =>
        new(name, gateway.ProxyUrl, hostHeader, gateway.Process.Sample, luaScript,
            async () => GatewayInstance.MetricValue(await gateway.MetricsAsync(), "dotnet_gc_allocated_bytes_total"));
}
