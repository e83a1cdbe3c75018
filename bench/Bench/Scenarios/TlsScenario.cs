using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Slardar.Scriptable.Bench.Infrastructure;
using Slardar.Scriptable.Bench.Report;
using Slardar.Scriptable.Bench.Targets;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>
/// TLS termination against nginx with the same throw-away certificate (openssl, ECDSA P-256), both
/// proxying to the same backends: HTTPS requests/s on kept-alive connections, and full TLS handshakes
/// per second (every request on a new connection, <c>Connection: close</c>, no session resumption
/// on either side); one interleaved run.
/// </summary>
internal sealed class TlsScenario : IScenario
{
    public const string Host = "tls.local";

    public string Name => "tls";

    public async Task<ReportSection> RunAsync(BenchContext context)
    {
        var options = context.Options;
        var dir = context.NewFolder("tls-certificate");
        var (certPath, keyPath) = await CreateCertificateAsync(dir);
        using var backends = await Backends.StartAsync(context, 2);
        using var nginx = await NginxPeer.StartAsync(context, backends.All, "tls.conf", new Dictionary<string, string> { ["cert"] = certPath, ["key"] = keyPath });
        using var gateway = await GatewayInstance.StartAsync(context, new GatewayLaunch("tls", Settings: new Dictionary<string, string> { ["Gateway:Listen"] = "https://127.0.0.1:0" }));
        await gateway.PutUpstreamAsync(Host, GatewayInstance.UpstreamJson(backends.Ports));
        var certificate = await File.ReadAllTextAsync(certPath);
        await PostCertificateAsync(gateway, certificate, await File.ReadAllTextAsync(keyPath));

        var nginxUrl = $"https://127.0.0.1:{nginx.Port.ToString(CultureInfo.InvariantCulture)}/";
        await ExpectServedAsync(nginxUrl, certificate);
        await ExpectServedAsync(gateway.ProxyUrl, certificate);

        var closeScript = Path.Combine(dir, "close.lua");
        await File.WriteAllTextAsync(closeScript, "wrk.headers[\"Connection\"] = \"close\"\n");
        var settings = new WrkSettings(options.Threads, options.Connections, TimeSpan.FromSeconds(options.DurationSeconds));
        var warmup = TimeSpan.FromSeconds(options.WarmupSeconds);

        BenchContext.Log($"tls keep-alive: {settings.Describe()}, {options.Rounds} rounds");
        var kept = await Comparison.RunAsync(
            [
                new LoadTarget("nginx, TLS termination", nginxUrl, Host, nginx.Process.Sample),
                LoadTarget.For("gateway, https listener", gateway, Host),
            ],
            settings,
            options.Rounds,
            warmup);

        BenchContext.Log($"tls handshakes: {settings.Describe()}, a new connection per request, {options.Rounds} rounds");
        var handshakes = await Comparison.RunAsync(
            [
                new LoadTarget("nginx, TLS termination", nginxUrl, Host, nginx.Process.Sample, closeScript),
                LoadTarget.For("gateway, https listener", gateway, Host, closeScript),
            ],
            settings,
            options.Rounds,
            warmup);

        return Render(kept, handshakes, settings, options.Rounds);
    }

    private static ReportSection Render(IReadOnlyList<TargetSummary> kept, IReadOnlyList<TargetSummary> handshakes, WrkSettings settings, int rounds)
    {
        var markdown = $"""
            The gateway and nginx terminate TLS with the same throw-away ECDSA P-256 certificate (made by openssl in the run;
            the gateway's posted through `POST /cert/<name>`) and proxy to the same two nginx backends with keep-alive. nginx
            has session resumption off (`ssl_session_cache off`, `ssl_session_tickets off`) and wrk does not resume, so every
            new connection is a full handshake on both. `{settings.Describe()}`, {rounds} rounds interleaved, medians; CPU is
            the target's own process tree.

            HTTPS requests on kept-alive connections (HTTP/1.1):

            {Table(kept)}
            Full TLS handshakes per second: every request on a new connection (`Connection: close`), so req/s = handshakes/s:

            {Table(handshakes)}
            """;
        // No target of its own yet (issue 18 asks for the ratios): the lead sets one from an idle-machine run.
        return new ReportSection("TLS: HTTPS requests and handshakes against nginx", markdown, []);
    }

    private static MarkdownTable Table(IReadOnlyList<TargetSummary> rows)
    {
        var nginx = rows[0];
        var table = new MarkdownTable("target", "req/s", "× nginx", "p50 ms", "p99 ms", "CPU s / 10k req", "CPU × nginx", "peak RSS", "errors");
        foreach (var row in rows)
        {
            table.Row(row.Name, $"{row.Rps:F0}", Stats.Ratio(row.Rps, nginx.Rps), $"{row.P50Ms:F2}", $"{row.P99Ms:F2}",
                $"{row.CpuPer10k:F3}", Stats.Ratio(row.CpuPer10k, nginx.CpuPer10k), Stats.Mb(row.PeakRssBytes), row.Errors.ToString(CultureInfo.InvariantCulture));
        }

        return table;
    }

    /// <summary>A self-signed certificate for <see cref="Host"/> (the peers are compared, not trusted); its PEM files.</summary>
    private static async Task<(string Cert, string Key)> CreateCertificateAsync(string dir)
    {
        var cert = Path.Combine(dir, "tls.crt");
        var key = Path.Combine(dir, "tls.key");
        var info = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                     "-subj", "/CN=" + Host, "-addext", "subjectAltName=DNS:" + Host, "-keyout", key, "-out", cert,
                 })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start openssl");
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? (cert, key) : throw new InvalidOperationException($"openssl failed ({process.ExitCode}): {await error}");
    }

    private static async Task PostCertificateAsync(GatewayInstance gateway, string certificate, string key)
    {
        var body = JsonSerializer.Serialize(new { cert = certificate, key, hosts = new[] { Host, "_" } });
        using var response = await gateway.Admin.PostAsync("cert/bench", new StringContent(body, Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"admin API refused the certificate: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>A GET through <paramref name="url"/> answers 200 over TLS with exactly this certificate (a fast wrong answer is no result).</summary>
    private static async Task ExpectServedAsync(string url, string certificatePem)
    {
        using var expected = X509Certificate2.CreateFromPem(certificatePem);
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, served, _, _) => served is not null && served.GetCertHashString() == expected.GetCertHashString() },
        })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Host = Host;
        using var response = await client.SendAsync(request);
        if ((int)response.StatusCode != 200)
        {
            throw new InvalidOperationException($"GET {url} (Host {Host}) over TLS answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
