using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Store;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Consul;

/// <summary>Registers the Consul parts, or their stand-ins when Consul is not configured.</summary>
internal static class ConsulServiceCollectionExtensions
{
    public static IServiceCollection AddConsul(this IServiceCollection services, ConsulSettings? settings)
    {
        if (settings is null)
        {
            services.AddSingleton<IServicePeerSource, NoServicePeers>();
            services.AddSingleton<IScriptConfig>(NoScriptConfig.Instance);
            services.AddSingleton(new ConsulIntegration(null, null, null, null));
            return services;
        }

        var layout = new ConsulKvLayout(settings.Prefix);
        services.AddSingleton(layout);
        services.AddSingleton(sp => new ConsulClient(settings.Client, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ConsulClient>>()));
        services.AddSingleton(sp => new ConsulServiceDirectory(
            sp.GetRequiredService<ConsulClient>(),
            sp.GetRequiredService<GatewayStore>(),
            settings.Watch,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ConsulServiceDirectory>>()));
        services.AddSingleton<IServicePeerSource>(sp => sp.GetRequiredService<ConsulServiceDirectory>());
        services.AddSingleton(sp => new ConsulConfigCache(
            sp.GetRequiredService<ConsulClient>(), sp.GetRequiredService<GatewayStore>(), layout, settings.ConfigPositiveTtl, settings.ConfigNegativeTtl,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ConsulConfigCache>>()));
        services.AddSingleton<IScriptConfig>(sp => sp.GetRequiredService<ConsulConfigCache>());
        services.AddSingleton(sp => new ConsulKvSync(
            sp.GetRequiredService<ConsulClient>(),
            layout,
            settings.Watch,
            sp.GetRequiredService<UpstreamCatalog>(),
            sp.GetRequiredService<ScriptCatalog>(),
            sp.GetRequiredService<ScriptRegistry>(),
            sp.GetRequiredService<GatewayStore>(),
            sp.GetRequiredService<ConsulConfigCache>(),
            sp.GetRequiredService<Certificates.CertificateCatalog>(),
            sp.GetService<Services.Caching.ConsulCachePurges>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ConsulKvSync>>()));
        services.AddSingleton(sp => new ConsulWriteThrough(
            sp.GetRequiredService<ConsulClient>(), sp.GetRequiredService<ConsulKvSync>(), sp.GetRequiredService<GatewayStore>(), settings.WriteApplyTimeout));
        services.AddSingleton(sp => new ConsulIntegration(
            settings, sp.GetRequiredService<ConsulKvSync>(), sp.GetRequiredService<ConsulServiceDirectory>(), sp.GetRequiredService<ConsulWriteThrough>()));
        return services;
    }
}
