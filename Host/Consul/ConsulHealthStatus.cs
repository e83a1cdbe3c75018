namespace Slardar.Scriptable.Host.Consul;

/// <summary>A check status as Consul names it; an instance's status is its worst check's.</summary>
internal enum ConsulHealthStatus
{
    Passing,
    Warning,
    Critical,
}
