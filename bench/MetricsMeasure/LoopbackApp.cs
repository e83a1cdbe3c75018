using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Slardar.Scriptable.MetricsMeasure;

/// <summary>A Kestrel app on 127.0.0.1 with a port the system picks, the same for every candidate.</summary>
internal static class LoopbackApp
{
    public static async Task<(WebApplication App, Uri Metrics)> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(new Uri(address), "/metrics"));
    }
}
