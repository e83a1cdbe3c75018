namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// One entry of <c>/v1/health/service/&lt;name&gt;</c>, reduced to what a gateway needs to reach it.
/// <see cref="Address"/> is <c>Service.Address</c>, or <c>Node.Address</c> when the service
/// registered none (Consul's documented fallback).
/// </summary>
internal sealed record ConsulServiceInstance(
    string Node,
    string ServiceId,
    string ServiceName,
    string Address,
    int Port,
    IReadOnlyDictionary<string, string> Meta,
    ConsulServiceWeights Weights,
    ConsulHealthStatus Status);
