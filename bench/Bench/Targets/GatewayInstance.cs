using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Slardar.Scriptable.Bench.Infrastructure;

namespace Slardar.Scriptable.Bench.Targets;

/// <summary>
/// A gateway process started as the README's run command starts it (the Release build's dll with
/// <c>--Key=value</c> settings), on loopback port 0, with its own store, manifest and Scripts folder.
/// </summary>
internal sealed partial class GatewayInstance : IDisposable
{
    private GatewayInstance(ChildProcess process, string proxyUrl, string adminUrl, string dir, TimeSpan startup)
    {
        Process = process;
        ProxyUrl = proxyUrl;
        AdminUrl = adminUrl;
        Folder = dir;
        Startup = startup;
        Admin = new HttpClient { BaseAddress = new Uri(adminUrl), Timeout = TimeSpan.FromMinutes(2) };
    }

    public ChildProcess Process { get; }

    public string ProxyUrl { get; }

    public string AdminUrl { get; }

    public string Folder { get; }

    /// <summary>From process start until both listeners were up.</summary>
    public TimeSpan Startup { get; }

    public HttpClient Admin { get; }

    public static Task<GatewayInstance> StartAsync(BenchContext context, GatewayLaunch launch) =>
        StartAsync(context, launch, context.NewFolder("gateway-" + launch.Name));

    /// <summary>Starts a gateway on an existing folder (its store and Scripts are reused: a restart).</summary>
    public static async Task<GatewayInstance> StartAsync(BenchContext context, GatewayLaunch launch, string dir)
    {
        Directory.CreateDirectory(Path.Combine(dir, "Scripts"));
        var manifest = Path.Combine(dir, "scripts.json");
        if (!File.Exists(manifest))
        {
            File.WriteAllText(manifest, "{\"hosts\": {}}\n");
        }

        var settings = new Dictionary<string, string>
        {
            ["Gateway:Listen"] = "http://127.0.0.1:0",
            ["Admin:Listen"] = "http://127.0.0.1:0",
            ["Store:Path"] = Path.Combine(dir, "gateway.db"),
            ["Scripts:Manifest"] = manifest,
            ["Scripts:Folder"] = Path.Combine(dir, "Scripts"),
            ["Demo:Enabled"] = "false",
            ["AccessLog:Enabled"] = launch.AccessLog ? "true" : "false",
        };
        foreach (var (key, value) in launch.Settings ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var args = new List<string> { launch.Dll ?? context.GatewayDll };
        args.AddRange(settings.Select(pair => $"--{pair.Key}={pair.Value}"));
        var started = Stopwatch.GetTimestamp();
        var process = ChildProcess.Start("gateway-" + launch.Name, "dotnet", args, Path.Combine(dir, "stdout.log"),
            launch.Environment, context.RepoRoot);
        try
        {
            var proxyLine = await process.WaitForLogLineAsync("proxy listening on", TimeSpan.FromMinutes(5));
            var adminLine = await process.WaitForLogLineAsync("admin listening on", TimeSpan.FromMinutes(1));
            return new GatewayInstance(process, UrlIn(proxyLine), UrlIn(adminLine), dir, Stopwatch.GetElapsedTime(started));
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    public async Task PutUpstreamAsync(string name, string json)
    {
        using var response = await Admin.PostAsync("upstream/" + name, new StringContent(json, Encoding.UTF8, "application/json"));
        await EnsureOkAsync(response, "upstream " + name);
    }

    public static string UpstreamJson(IEnumerable<int> ports, bool activeChecks = true) =>
        JsonSerializer.Serialize(new
        {
            servers = ports.Select(port => new { host = "127.0.0.1", port }).ToArray(),
            enable = activeChecks,
        });

    /// <summary>POST /script/&lt;host&gt;/&lt;phase&gt;; returns how long the call took (compile, store, activate).</summary>
    public async Task<TimeSpan> PutScriptAsync(string host, string phase, string source) => (await PutScriptTimedAsync(host, phase, source)).Elapsed;

    /// <summary>POST /script/&lt;host&gt;/&lt;phase&gt;, with the gateway's own split of the time (its Server-Timing header).</summary>
    public async Task<ScriptPutTiming> PutScriptTimedAsync(string host, string phase, string source)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await Admin.PostAsync($"script/{host}/{phase}", new StringContent(source, Encoding.UTF8, "text/plain"));
        var elapsed = Stopwatch.GetElapsedTime(started);
        await EnsureOkAsync(response, $"script {host}/{phase}");
        return ScriptPutTiming.Parse(elapsed, response.Headers.TryGetValues("Server-Timing", out var values) ? string.Join(",", values) : null);
    }

    public async Task<string> MetricsAsync() => await Admin.GetStringAsync("metrics");

    /// <summary>The sum of a Prometheus metric's samples whose label sets contain every one of <paramref name="labels"/> (e.g. <c>outcome="ok"</c>).</summary>
    public static double MetricValue(string metrics, string name, params string[] labels)
    {
        var total = 0.0;
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is ' ' or '{'
                && labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    public void Dispose()
    {
        Admin.Dispose();
        Process.Dispose();
    }

    private static async Task EnsureOkAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"admin API refused {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static string UrlIn(string line) => Url().Match(line).Value;

    [GeneratedRegex(@"https?://[0-9.]+:\d+")]
    private static partial Regex Url();
}
