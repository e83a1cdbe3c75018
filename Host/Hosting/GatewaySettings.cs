using Slardar.Scriptable.Host.Proxy;

namespace Slardar.Scriptable.Host.Hosting;

/// <summary>Process-level settings, copied out of configuration once at start; bad values stop the start with a clear message.</summary>
internal sealed record GatewaySettings(
    string[] ProxyUrls,
    string[] AdminUrls,
    string ManifestPath,
    string ScriptsFolder,
    string StorePath,
    bool AccessLogEnabled,
    string? DemoUrl,
    ProxyOptions Proxy)
{
    public static GatewaySettings FromConfiguration(IConfiguration configuration)
    {
        var demoEnabled = !string.Equals(configuration["Demo:Enabled"], "false", StringComparison.OrdinalIgnoreCase);
        return new GatewaySettings(
            ListenUrls.Parse("Gateway:Listen", configuration["Gateway:Listen"], "http://0.0.0.0:8080"),
            ListenUrls.Parse("Admin:Listen", configuration["Admin:Listen"], "http://127.0.0.1:1995"),
            Path.GetFullPath(configuration["Scripts:Manifest"] is { Length: > 0 } manifest ? manifest : "scripts.json"),
            Path.GetFullPath(configuration["Scripts:Folder"] is { Length: > 0 } folder ? folder : "Scripts"),
            Path.GetFullPath(configuration["Store:Path"] is { Length: > 0 } store ? store : Path.Combine("data", "slardar.db")),
            !string.Equals(configuration["AccessLog:Enabled"], "false", StringComparison.OrdinalIgnoreCase),
            demoEnabled ? ListenUrls.Parse("Demo:Listen", configuration["Demo:Listen"], "http://127.0.0.1:8081")[0] : null,
            ProxyOptions.FromConfiguration(configuration.GetSection("Proxy")));
    }
}
