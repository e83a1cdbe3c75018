using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Host.Routing;
using Slardar.Scriptable.Host.Streams;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>Starting a gateway with stream listeners, finding their bound ports and editing its scripts.json live.</summary>
internal static class StreamGatewayFixture
{
    public static Task<TestGateway> StartAsync(string streams, IEnumerable<KeyValuePair<string, string?>>? settings = null, TimeProvider? clock = null) =>
        TestGateway.StartAsync(
            new Dictionary<string, string?>(settings ?? []),
            manifest: $$"""{ "streams": {{streams}} }""",
            configureServices: services =>
            {
                if (clock is not null)
                {
                    services.AddSingleton(clock);
                }
            });

    public static StreamListeners Listeners(this TestGateway gateway) => gateway.Services.GetRequiredService<StreamListeners>();

    /// <summary>Where the listener configured as <paramref name="address"/> is bound (port 0 resolved).</summary>
    public static IPEndPoint Bound(this TestGateway gateway, string address) =>
        gateway.Listeners().Listeners[address].BoundEndPoint ?? throw new InvalidOperationException($"{address} is not bound");

    /// <summary>Rewrites scripts.json and applies it now (as the file watcher would after its debounce).</summary>
    public static async Task EditStreamsAsync(this TestGateway gateway, string streams)
    {
        await File.WriteAllTextAsync(gateway.ManifestPath, $$"""{ "streams": {{streams}} }""");
        var error = gateway.Services.GetRequiredService<RouteTableProvider>().Reload();
        if (error is not null)
        {
            throw new InvalidOperationException(error);
        }
    }
}
