using Slardar.Scriptable.Host.Certificates;
using Slardar.Scriptable.Host.Configuration;
using Slardar.Scriptable.Host.Consul;
using Slardar.Scriptable.Host.Proxy;
using Slardar.Scriptable.Host.Scripts;

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
    ProxyOptions Proxy,
    string? AdminToken,
    TimeSpan CheckupsInterval,
    bool ActiveChecks,
    ConsulSettings? Consul,
    ScriptLogOptions ScriptLog,
    bool Http2Cleartext,
    CertificateSettings Certificates,
    CertificateFileConfig? AdminCertificate)
{
    /// <summary>Whether the proxy listeners need Kestrel endpoints of their own (TLS or h2c) rather than plain URLs.</summary>
    public bool ProxyNeedsEndpoints => Http2Cleartext || ProxyUrls.Any(IsHttps);

    public static GatewaySettings FromConfiguration(IConfiguration configuration)
    {
        // Booleans are true or false, nothing else: "0" or "yes" read as true once (anything but "false").
        var demoEnabled = ConfigurationValues.ReadBoolean(configuration, string.Empty, "Demo:Enabled", fallback: true);
        var adminUrls = ListenUrls.Parse("Admin:Listen", configuration["Admin:Listen"], "http://127.0.0.1:1995", allowHttps: true);
        var adminCertificate = ReadAdminCertificate(configuration, adminUrls);
        var adminToken = configuration["Admin:Token"] is { Length: > 0 } token ? token : null;
        if (adminToken is null && !ListenUrls.AllLoopback(adminUrls))
        {
            // The admin API rewrites routing and runs code: never open it to a network without a token.
            throw new InvalidOperationException(
                $"Admin:Listen ({string.Join(";", adminUrls)}) is not a loopback address and Admin:Token is empty: set Admin:Token, or listen on 127.0.0.1");
        }

        var storePath = Path.GetFullPath(configuration["Store:Path"] is { Length: > 0 } store ? store : Path.Combine("data", "slardar.db"));
        return new GatewaySettings(
            ListenUrls.Parse("Gateway:Listen", configuration["Gateway:Listen"], "http://0.0.0.0:8080", allowHttps: true),
            adminUrls,
            Path.GetFullPath(configuration["Scripts:Manifest"] is { Length: > 0 } manifest ? manifest : "scripts.json"),
            Path.GetFullPath(configuration["Scripts:Folder"] is { Length: > 0 } folder ? folder : "Scripts"),
            storePath,
            ConfigurationValues.ReadBoolean(configuration, string.Empty, "AccessLog:Enabled", fallback: true),
            demoEnabled ? ListenUrls.Parse("Demo:Listen", configuration["Demo:Listen"], "http://127.0.0.1:8081")[0] : null,
            ProxyOptions.FromConfiguration(configuration.GetSection("Proxy")),
            adminToken,
            ConfigurationValues.ReadSeconds(configuration, string.Empty, "Checkups:IntervalSeconds", TimeSpan.FromSeconds(5), 0.05, minInclusive: true, max: 3600),
            ConfigurationValues.ReadBoolean(configuration, string.Empty, "Checkups:ActiveChecks", fallback: true),
            ConsulSettings.FromConfiguration(configuration),
            ScriptLogOptions.FromConfiguration(configuration),
            ConfigurationValues.ReadBoolean(configuration, string.Empty, "Gateway:Http2Cleartext", fallback: false),
            CertificateSettings.FromConfiguration(configuration, storePath, Directory.GetCurrentDirectory()),
            adminCertificate);
    }

    /// <summary>Whether an admin listener is https:// (it then serves <see cref="AdminCertificate"/>).</summary>
    public bool AdminTls => AdminUrls.Any(IsHttps);

    private static bool IsHttps(string url) => url.StartsWith("https:", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>Admin:Certificate:Path</c>/<c>:KeyPath</c>: required by an https:// admin listener, and only read then.</summary>
    private static CertificateFileConfig? ReadAdminCertificate(IConfiguration configuration, string[] adminUrls)
    {
        if (!adminUrls.Any(IsHttps))
        {
            return null;
        }

        return CertificateFileConfig.Create(
                "admin",
                configuration["Admin:Certificate:Path"],
                configuration["Admin:Certificate:KeyPath"],
                [CertificateHostPattern.Default],
                Directory.GetCurrentDirectory(),
                "Admin:Certificate",
                out _)
            ?? throw new InvalidOperationException("Admin:Listen has an https:// URL: set Admin:Certificate:Path and Admin:Certificate:KeyPath (PEM certificate chain and key files)");
    }
}
