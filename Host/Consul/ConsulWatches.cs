namespace Slardar.Scriptable.Host.Consul;

/// <summary>The two watches the gateway needs, wired to a <see cref="ConsulClient"/>.</summary>
internal static class ConsulWatches
{
    /// <summary>Every key under a KV prefix (what Slardar read once at start: <c>&lt;prefix&gt;upstreams/</c>).</summary>
    public static ConsulWatch<IReadOnlyList<ConsulKvEntry>> KeyPrefix(
        ConsulClient client,
        string prefix,
        Func<ConsulResult<IReadOnlyList<ConsulKvEntry>>, CancellationToken, Task> onChange,
        ConsulWatchOptions options,
        TimeProvider time,
        ILogger logger) =>
        new("kv:" + prefix, (index, wait, ct) => client.WatchAsync(prefix, index, wait, ct), onChange, options, time, logger);

    /// <summary>The passing instances of a service (an upstream defined by <c>consul_service</c>).</summary>
    public static ConsulWatch<IReadOnlyList<ConsulServiceInstance>> PassingInstances(
        ConsulClient client,
        string service,
        Func<ConsulResult<IReadOnlyList<ConsulServiceInstance>>, CancellationToken, Task> onChange,
        ConsulWatchOptions options,
        TimeProvider time,
        ILogger logger) =>
        new("service:" + service, (index, wait, ct) => client.HealthServiceAsync(service, passingOnly: true, index, wait, ct), onChange, options, time, logger);
}
