using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Host.Hosting;
using Slardar.Scriptable.Host.Observability;
using Slardar.Scriptable.Host.Scripts.Compiler;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>
/// The real gateway started in-process on loopback port 0, with a scripts.json of the test's own in
/// a temp folder and no demo backend. Configuration keys are the production ones.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private readonly GatewayApp _app;

    private TestGateway(GatewayApp app, string folder)
    {
        _app = app;
        Folder = folder;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri(Loopback(app.ProxyUrls[0])),
            Timeout = TimeSpan.FromSeconds(60),
        };
        Admin = new HttpClient { BaseAddress = new Uri(Loopback(app.AdminUrls[0])) };
    }

    /// <summary>A client for the proxy listener; set the Host header per request.</summary>
    public HttpClient Client { get; }

    public HttpClient Admin { get; }

    /// <summary>The proxy listeners' bound URLs (port 0 resolved).</summary>
    public IReadOnlyList<string> ProxyUrls => _app.ProxyUrls;

    public string Folder { get; }

    public string ManifestPath => Path.Combine(Folder, "scripts.json");

    public IServiceProvider Services => _app.Services;

    public AccessLogWriter AccessLog => Services.GetRequiredService<AccessLogWriter>();

    /// <summary>The gateway's compile worker (the shared one unless the test set <c>Scripts:Compiler:*</c>).</summary>
    public CompileWorker Compiler => Services.GetRequiredService<CompileWorker>();

    /// <param name="settings">Configuration keys, e.g. <c>Upstreams:web:servers:0:host</c>.</param>
    /// <param name="manifest">Content of scripts.json; null writes none.</param>
    /// <param name="folder">The folder for scripts.json, the store and temp files; a new temp folder when null. Reuse one to restart a gateway on the same store.</param>
    public static async Task<TestGateway> StartAsync(
        IDictionary<string, string?>? settings = null,
        string? manifest = null,
        Action<IServiceCollection>? configureServices = null,
        string? folder = null)
    {
        folder ??= Directory.CreateTempSubdirectory("slardar-test-").FullName;
        if (manifest is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "scripts.json"), manifest, Encoding.UTF8);
        }

        var values = new Dictionary<string, string?>
        {
            ["Gateway:Listen"] = "http://127.0.0.1:0",
            ["Admin:Listen"] = "http://127.0.0.1:0",
            ["Demo:Enabled"] = "false",
            ["Logging:Console"] = "false",
            ["Scripts:Manifest"] = Path.Combine(folder, "scripts.json"),
            ["Scripts:Folder"] = Path.Combine(folder, "Scripts"),
            ["Store:Path"] = Path.Combine(folder, "slardar.db"),
            ["Proxy:Body:TempFolder"] = folder,
            // Heartbeats would race the tests that count tries to dead peers; heartbeat tests turn them on.
            ["Checkups:ActiveChecks"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        // One compile worker per test process, unless the test sets the compiler's limits: then the
        // gateway starts its own, as in production.
        var ownCompiler = values.Keys.Any(static k => k.StartsWith(CompilerSettings.Prefix, StringComparison.OrdinalIgnoreCase));
        void Configure(IServiceCollection services)
        {
            if (!ownCompiler)
            {
                services.AddSingleton(SharedCompileWorker.Instance);
            }

            configureServices?.Invoke(services);
        }

        // The shipped appsettings.json seeds a "demo" upstream; tests start from none.
        var app = await GatewayApp.StartAsync([], builder =>
        {
            builder.Sources.Clear();
            builder.AddInMemoryCollection(values);
        }, Configure);
        return new TestGateway(app, folder);
    }

    /// <summary>Configuration entries for one upstream in Slardar's shape.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Upstream(string name, params string[] addresses)
    {
        for (var i = 0; i < addresses.Length; i++)
        {
            var (host, port) = (addresses[i].Split(':')[0], addresses[i].Split(':')[1]);
            yield return new($"Upstreams:{name}:servers:{i}:host", host);
            yield return new($"Upstreams:{name}:servers:{i}:port", port);
        }
    }

    public Task<HttpResponseMessage> SendAsync(string host, HttpMethod method, string pathAndQuery, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, pathAndQuery) { Content = content };
        request.Headers.Host = host;
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string host, string pathAndQuery = "/") => SendAsync(host, HttpMethod.Get, pathAndQuery);

    /// <summary>Sends <paramref name="body"/> as curl -d does (form content type, raw bytes) to the admin listener.</summary>
    public async Task<(int Status, System.Text.Json.Nodes.JsonNode? Json)> AdminAsync(HttpMethod method, string path, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        using var response = await Admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : System.Text.Json.Nodes.JsonNode.Parse(text));
    }

    /// <summary>Stops the gateway but keeps its folder (store, scripts.json) for a restart.</summary>
    public async Task StopAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Loopback(string url) => url.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);
}
