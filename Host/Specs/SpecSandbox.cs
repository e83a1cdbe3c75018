using Microsoft.Extensions.Configuration;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Hosting;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Scripts.Compiler;
using Slardar.Scriptable.Host.Store;

namespace Slardar.Scriptable.Host.Specs;

/// <summary>
/// A throw-away gateway for one spec run, in this process on loopback ports: its own store and
/// folder (deleted after), the live scripts.json, every live upstream pointing at a built-in echo
/// backend, the live modules, and the live scripts of the hosts the spec sends to. It shares the
/// live compile worker and nothing else: live traffic, the live store and Consul never see it.
/// </summary>
internal sealed class SpecSandbox : IAsyncDisposable
{
    public const string Origin = "spec";

    private readonly GatewayApp _gateway;
    private readonly WebApplication _echo;
    private readonly string _folder;

    private SpecSandbox(GatewayApp gateway, WebApplication echo, string echoAddress, string folder)
    {
        _gateway = gateway;
        _echo = echo;
        EchoAddress = echoAddress;
        _folder = folder;
        Proxy = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(Loopback(gateway.ProxyUrls[0])), Timeout = RequestTimeout };
        Admin = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(Loopback(gateway.AdminUrls[0])), Timeout = RequestTimeout };
    }

    public static TimeSpan RequestTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary><c>host:port</c> of the echo backend every upstream points at.</summary>
    public string EchoAddress { get; }

    public HttpClient Proxy { get; }

    public HttpClient Admin { get; }

    public IServiceProvider Services => _gateway.Services;

    public ScriptCatalog Scripts => Services.GetRequiredService<ScriptCatalog>();

    public UpstreamCatalog Upstreams => Services.GetRequiredService<UpstreamCatalog>();

    /// <param name="live">The serving gateway's services, copied from.</param>
    /// <param name="hosts">The hosts the spec sends requests to: their serving scripts are copied.</param>
    public static async Task<SpecSandbox> StartAsync(IServiceProvider live, IEnumerable<string> hosts, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("slardar-spec-").FullName;
        var echo = DemoBackend.Build("http://127.0.0.1:0", Serilog.Core.Logger.None);
        GatewayApp? gateway = null;
        try
        {
            await echo.StartAsync(cancellationToken);
            var echoAddress = new Uri(echo.Urls.First()).Authority;
            var settings = live.GetRequiredService<GatewaySettings>();
            var manifest = Path.Combine(folder, "scripts.json");
            if (File.Exists(settings.ManifestPath))
            {
                File.Copy(settings.ManifestPath, manifest);
            }

            var values = new Dictionary<string, string?>
            {
                ["Gateway:Listen"] = "http://127.0.0.1:0",
                ["Admin:Listen"] = "http://127.0.0.1:0",
                ["Demo:Enabled"] = "false",
                ["Logging:Console"] = "false",
                ["Scripts:Manifest"] = manifest,
                ["Scripts:Folder"] = Path.Combine(folder, "Scripts"),
                ["Store:Path"] = Path.Combine(folder, "spec.db"),
                ["Proxy:Body:TempFolder"] = folder,
                ["Checkups:ActiveChecks"] = "false",
            };
            foreach (var upstream in live.GetRequiredService<UpstreamRegistry>().All)
            {
                AddEchoUpstream(values, upstream.Name, echoAddress);
            }

            var compiler = live.GetRequiredService<CompileWorker>();
            gateway = await GatewayApp.StartAsync(
                [],
                builder =>
                {
                    // Nothing of the live process's environment (Consul, Redis, listeners) leaks in.
                    builder.Sources.Clear();
                    builder.AddInMemoryCollection(values);
                },
                services => services.AddSingleton(compiler),
                cancellationToken);
            var sandbox = new SpecSandbox(gateway, echo, echoAddress, folder);
            await sandbox.CopyScriptsAsync(live, hosts, cancellationToken);
            return sandbox;
        }
        catch
        {
            if (gateway is not null)
            {
                await gateway.DisposeAsync();
            }

            await echo.DisposeAsync();
            TryDelete(folder);
            throw;
        }
    }

    /// <summary>An upstream named <paramref name="name"/> pointing at the echo backend.</summary>
    public UpstreamChangeResult AddUpstream(string name)
    {
        var (host, port) = (EchoAddress.Split(':')[0], EchoAddress.Split(':')[1]);
        return Upstreams.ApplyDefinition(name, $$"""{"servers":[{"host":"{{host}}","port":{{port}}}]}""", StoreOrigins.Api, Origin);
    }

    public async ValueTask DisposeAsync()
    {
        Proxy.Dispose();
        Admin.Dispose();
        await _gateway.DisposeAsync();
        await _echo.DisposeAsync();
        TryDelete(_folder);
    }

    private async Task CopyScriptsAsync(IServiceProvider live, IEnumerable<string> hosts, CancellationToken cancellationToken)
    {
        var catalog = live.GetRequiredService<ScriptCatalog>();
        foreach (var module in catalog.Modules)
        {
            await Scripts.ApplyModuleAsync(module.Name, module.Source, Origin, Origin, dryRun: false, cancellationToken);
        }

        var registry = live.GetRequiredService<ScriptRegistry>();
        var copied = new HashSet<ScriptKey>();
        foreach (var host in hosts.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            foreach (var active in registry.Find(host)?.Active ?? [])
            {
                if (copied.Add(active.Key))
                {
                    await Scripts.ApplyAsync(active.Key, active.Source, Origin, Origin, dryRun: false, cancellationToken);
                }
            }
        }
    }

    private static void AddEchoUpstream(Dictionary<string, string?> values, string name, string echoAddress)
    {
        values[$"Upstreams:{name}:servers:0:host"] = echoAddress.Split(':')[0];
        values[$"Upstreams:{name}:servers:0:port"] = echoAddress.Split(':')[1];
    }

    private static string Loopback(string url) => url.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal);

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
