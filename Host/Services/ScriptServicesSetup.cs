using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Consul;
using Slardar.Scriptable.Host.Routing;
using Slardar.Scriptable.Host.Services.Caching;
using Slardar.Scriptable.Host.Services.Limits;
using Slardar.Scriptable.Host.Services.Redis;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Services;

/// <summary>Registers and starts the script services of one gateway instance (caches, Redis connections, rate limits).</summary>
internal static class ScriptServicesSetup
{
    public static void AddScriptServices(this IServiceCollection services, IConfiguration configuration)
    {
        var errors = new List<string>();
        var redisConfigs = RedisConnectionConfig.FromConfiguration(configuration, errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Redis configuration is invalid: " + string.Join("; ", errors));
        }

        // Names this gateway on the shared Redis (heartbeat, purge channel): unique per instance, even in one process.
        var instanceId = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];
        services.AddSingleton(sp => new RedisConnections(redisConfigs, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new CacheSet(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new LocalLimiter(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            var redis = sp.GetRequiredService<RedisConnections>().Default;
            return new LimitSet(
                sp.GetRequiredService<LocalLimiter>(),
                redis is null ? null : new ClusterLimiter(redis, time),
                redis is null ? null : new GatewayPeers(redis, instanceId, time, sp.GetRequiredService<ILogger<GatewayPeers>>()),
                sp.GetRequiredService<IScriptConfig>(),
                time,
                sp.GetRequiredService<ILogger<LimitSet>>());
        });
        services.AddSingleton(sp => sp.GetRequiredService<RedisConnections>().Default is { } redis
            ? new CachePurgeChannel(sp.GetRequiredService<CacheSet>(), redis, instanceId, sp.GetRequiredService<ILogger<CachePurgeChannel>>())
            : null!);
        // Without Redis, Consul (when configured) carries purges between gateways.
        services.AddSingleton(sp => sp.GetRequiredService<RedisConnections>().Default is null && sp.GetService<ConsulClient>() is { } consul
            ? new ConsulCachePurges(sp.GetRequiredService<CacheSet>(), consul, sp.GetRequiredService<ConsulKvLayout>(), instanceId, sp.GetRequiredService<ILogger<ConsulCachePurges>>())
            : null!);
        services.AddSingleton<IScriptServices>(sp => new GatewayScriptServices(
            sp.GetRequiredService<CacheSet>(),
            sp.GetRequiredService<RedisConnections>(),
            sp.GetRequiredService<LimitSet>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<HostLimitGate>();
    }

    /// <summary>Applies scripts.json's declarations (now and on every edit) and connects to Redis; bounded by the connect timeouts.</summary>
    public static async Task StartScriptServicesAsync(this IServiceProvider services)
    {
        var routes = services.GetRequiredService<RouteTableProvider>();
        var caches = services.GetRequiredService<CacheSet>();
        var limits = services.GetRequiredService<LimitSet>();
        Apply(routes.Current);
        routes.Changed += Apply;

        await services.GetRequiredService<RedisConnections>().StartAsync();
        if (services.GetService<CachePurgeChannel>() is { } purges)
        {
            await purges.StartAsync();
        }

        services.GetService<ConsulCachePurges>()?.Start();

        limits.Start();

        void Apply(RouteTable table)
        {
            caches.Declare(table.Config.Caches);
            limits.Declare(table.Config.Limits);
        }
    }
}
