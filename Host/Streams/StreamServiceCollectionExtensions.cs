using Slardar.Scriptable.Host.Observability.Metrics;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>Registers the stream proxy; its listeners bind when the proxy app starts and drain when it stops.</summary>
internal static class StreamServiceCollectionExtensions
{
    public static IServiceCollection AddStreamProxy(this IServiceCollection services, IConfiguration configuration)
    {
        // Read now, not when first resolved: a bad value stops the start before the store is opened.
        services.AddSingleton(StreamSettings.FromConfiguration(configuration));
        services.AddSingleton(sp => new StreamMetrics(sp.GetRequiredService<GatewayMetrics>()));
        services.AddSingleton<StreamPrereadRunner>();
        services.AddSingleton<StreamProxy>();
        services.AddSingleton<StreamListeners>();
        services.AddHostedService(sp => sp.GetRequiredService<StreamListeners>());
        return services;
    }
}
