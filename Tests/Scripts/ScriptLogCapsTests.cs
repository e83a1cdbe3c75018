using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripts;

/// <summary>What a script can make the gateway write to its log, through a real gateway and a captured logger.</summary>
public sealed class ScriptLogCapsTests
{
    private static async Task<(TestGateway Gateway, TestBackend Backend, LogCapture Capture)> StartAsync(FakeTimeProvider? clock = null)
    {
        var capture = new LogCapture();
        var backend = await TestBackend.StartNamedAsync("backend");
        var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?>(TestGateway.Upstream("app.test", backend.Address)),
            // A generous budget: allocating the 20-million-char message must not be what fails.
            manifest: """{ "hosts": { "app.test": { "upstream": "app.test", "budget_ms": 10000 } } }""",
            configureServices: services =>
            {
                services.AddSingleton<ILoggerProvider>(capture);
                if (clock is not null)
                {
                    services.AddSingleton<TimeProvider>(clock);
                }
            });
        return (gateway, backend, capture);
    }

    [Fact]
    public async Task ThrowWithA20MillionCharMessage_LogsAtMost4KiBOfIt()
    {
        var (gateway, backend, capture) = await StartAsync();
        await using var _ = gateway;
        await using var __ = backend;
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", "throw new Exception(new string('x', 20_000_000));")).Status);

        using var response = await gateway.GetAsync("app.test");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("50000001", response.Headers.GetValues("X-Error-Code").Single());
        var failure = Assert.Single(capture.Lines, l => l.Message.StartsWith("Script error ", StringComparison.Ordinal));
        Assert.Contains($"…[truncated {20_000_000 - 4096} chars]", failure.Message);
        Assert.True(failure.Message.Length < 5000, $"{failure.Message.Length} chars logged");
    }

    [Fact]
    public async Task LogFloodInOneRequest_IsCutRateLimitedAndCounted()
    {
        // The clock stands still: exactly the burst (200 lines) goes through.
        var (gateway, backend, capture) = await StartAsync(new FakeTimeProvider());
        await using var _ = gateway;
        await using var __ = backend;
        const string Script = "var line = new string('x', 100_000); for (var i = 0; i < 300; i++) Log.Warn(line);";
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/script/app.test", Script)).Status);

        using var response = await gateway.GetAsync("app.test");

        Assert.Equal("backend", await response.Content.ReadAsStringAsync());
        var lines = capture.In("Slardar.Script").ToList();
        Assert.Equal(200, lines.Count);
        Assert.All(lines, l => Assert.EndsWith($"…[truncated {100_000 - 4096} chars]", l.Message));
        var (_, scripts) = await gateway.AdminAsync(HttpMethod.Get, "/scripts");
        Assert.Equal(100, scripts!["scripts"]![0]!["counters"]!["log_dropped"]!.GetValue<long>());
        Assert.Contains("slardar_script_log_dropped_total{host=\"app.test\",phase=\"rewrite\"} 100", await gateway.Admin.GetStringAsync("/metrics"));
    }
}
