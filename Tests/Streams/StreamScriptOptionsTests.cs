using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shouldly;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>
/// A stream listener's <c>trusted</c>, <c>budget_ms</c> and <c>budget_mb</c>: read as a host's are
/// and applied to its preread script by the same compile options.
/// </summary>
public sealed class StreamScriptOptionsTests
{
    [Fact]
    public async Task BudgetMs_RunawayPrereadClosedAtItsListenersBudget_CountedAsARunaway_OtherListenerKeepsTheDefault()
    {
        // Fake timers: the watchdog's passes run inside Advance, at their own due times.
        var clock = new ManualTimeProvider { FakeTimers = true };
        var capture = new LogCapture();
        await using var backend = EchoBackend.Start();
        var (tight, loose) = (DeadPeer.ReservePort(), DeadPeer.ReservePort());
        await using var gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?>([.. TestGateway.Upstream("echo", backend.Address), new("Scripts:Threads:FirstRunTimeFactor", "1"), new("Streams:DrainTimeoutSeconds", "0")]),
            manifest: $$"""
            {
              "streams": {
                "127.0.0.1:{{tight}}": { "upstream": "echo", "preread_bytes": 0, "budget_ms": 5 },
                "127.0.0.1:{{loose}}": { "upstream": "echo", "preread_bytes": 0 }
              }
            }
            """,
            configureServices: services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.AddSingleton<ILoggerProvider>(capture);
            });
        using var log = new AccessLogProbe(gateway.AccessLog);
        foreach (var port in new[] { tight, loose })
        {
            var (status, json) = await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", "Log.Info(\"waiting\");\nawait Task.Delay(-1);");
            status.ShouldBe(200, json?.ToJsonString());
        }

        using var tightClient = await StreamClient.ConnectAsync(gateway.Bound($"127.0.0.1:{tight}"));
        using var looseClient = await StreamClient.ConnectAsync(gateway.Bound($"127.0.0.1:{loose}"));

        // Both scripts run (their budgets started) before the clock moves.
        await Poll.UntilAsync(() => Task.FromResult(capture.Lines.Count(l => l.Message.Contains("waiting", StringComparison.Ordinal))), n => n == 2, TimeSpan.FromSeconds(20), "both preread scripts to run");

        // 30 ms: past 5 ms (plus the watchdog's two periods and a stall excuse), short of the default 50 ms.
        clock.Advance(TimeSpan.FromMilliseconds(30));
        (await tightClient.ReceiveToEndAsync()).ShouldBeEmpty();
        var first = await log.NextAsync();
        (first.Host, first.Status).ShouldBe(($"127.0.0.1:{tight}", 500));
        gateway.Listeners().Listeners[$"127.0.0.1:{loose}"].ActiveSessions.ShouldBe(1);

        clock.Advance(TimeSpan.FromMilliseconds(200));
        (await looseClient.ReceiveToEndAsync()).ShouldBeEmpty();
        (await log.NextAsync()).Status.ShouldBe(500);
        backend.Connections.ShouldBe(0);

        var (_, script) = await gateway.AdminAsync(HttpMethod.Get, $"/script/stream:{tight}/preread");
        script!["counters"]!["runaways"]!.GetValue<long>().ShouldBe(1);
        (await gateway.Admin.GetStringAsync("/metrics")).ShouldContain($"slardar_script_runaways_total{{host=\"stream:{tight}\",phase=\"preread\"}} 1");
    }

    [Fact]
    public async Task RepeatedOverruns_QuarantineThePreread_EverySessionIsThenRefused503()
    {
        await using var backend = EchoBackend.Start();
        var port = DeadPeer.ReservePort();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""{ "127.0.0.1:{{port}}": { "upstream": "echo", "preread_bytes": 0, "budget_ms": 5 } }""",
            [.. TestGateway.Upstream("echo", backend.Address), new("Scripts:Quarantine:Failures", "2")]);
        using var log = new AccessLogProbe(gateway.AccessLog);
        (await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", "while (true) { }")).Status.ShouldBe(200);
        var endPoint = gateway.Bound($"127.0.0.1:{port}");

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            using var client = await StreamClient.ConnectAsync(endPoint);
            (await client.ReceiveToEndAsync()).ShouldBeEmpty();
            statuses.Add((await log.NextAsync()).Status);
        }

        statuses.ShouldBe([500, 500, 503]);
        backend.Connections.ShouldBe(0);
        var (_, status) = await gateway.AdminAsync(HttpMethod.Get, "/status");
        var listed = status!["scripts_quarantined"]!.AsArray().ShouldHaveSingleItem()!;
        (listed["host"]!.GetValue<string>(), listed["phase"]!.GetValue<string>()).ShouldBe(($"stream:{port}", "preread"));
    }

    [Fact]
    public async Task Trusted_GuardRailsApplyToAnUntrustedListenersPrereadOnly()
    {
        await using var backend = EchoBackend.Start("files", replyAtEnd: true);
        var (untrusted, trusted) = (DeadPeer.ReservePort(), DeadPeer.ReservePort());
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""
            {
              "127.0.0.1:{{untrusted}}": { "upstream": "echo" },
              "127.0.0.1:{{trusted}}": { "upstream": "echo", "preread_bytes": 0, "trusted": true }
            }
            """,
            TestGateway.Upstream("echo", backend.Address));
        const string source = "if (!System.IO.File.Exists(System.Environment.ProcessPath!)) return Refuse();";

        var (refusedStatus, refused) = await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{untrusted}/preread", source);
        refusedStatus.ShouldBe(400);
        refused!.ToJsonString().ShouldContain("SLS0001");
        var (acceptedStatus, accepted) = await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{trusted}/preread", source);
        acceptedStatus.ShouldBe(200, accepted?.ToJsonString());

        using var client = await StreamClient.ConnectAsync(gateway.Bound($"127.0.0.1:{trusted}"));
        await client.SendAsync("abc");
        client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        (await client.ReceiveToEndAsync()).ShouldBe("files:3");
    }

    [Fact]
    public async Task TrustTakenAwayInAnEdit_ServingPrereadIsCompiledAgain_ItNeedsTrustSoTheOldOneServesAndTheErrorShows()
    {
        await using var backend = EchoBackend.Start("files", replyAtEnd: true);
        var port = DeadPeer.ReservePort();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            $$"""{ "127.0.0.1:{{port}}": { "upstream": "echo", "preread_bytes": 0, "trusted": true } }""", TestGateway.Upstream("echo", backend.Address));
        (await gateway.AdminAsync(HttpMethod.Post, $"/script/stream:{port}/preread", "if (!System.IO.File.Exists(System.Environment.ProcessPath!)) return Refuse();")).Status.ShouldBe(200);

        await gateway.EditStreamsAsync($$"""{ "127.0.0.1:{{port}}": { "upstream": "echo", "preread_bytes": 0, "trusted": false } }""");
        await Poll.UntilAsync(
            async () => (await gateway.AdminAsync(HttpMethod.Get, $"/script/stream:{port}/preread")).Json!["compile_state"]!.GetValue<string>(),
            state => state == "error",
            TimeSpan.FromSeconds(30),
            "the preread to be compiled again without trust");

        using var client = await StreamClient.ConnectAsync(gateway.Bound($"127.0.0.1:{port}"));
        await client.SendAsync("abc");
        client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        (await client.ReceiveToEndAsync()).ShouldBe("files:3");
    }

    [Theory]
    [InlineData("\"budget_ms\": 0", "\"budget_ms\" must be a number of milliseconds")]
    [InlineData("\"budget_ms\": \"5\"", "\"budget_ms\" must be a number of milliseconds")]
    [InlineData("\"budget_mb\": -1", "\"budget_mb\" must be a number of MiB")]
    [InlineData("\"trusted\": \"yes\"", "\"trusted\" must be true or false")]
    public async Task BadOptionInAnEdit_RefusedNamingTheKey_ListenerServesOn(string option, string error)
    {
        await using var backend = EchoBackend.Start();
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "echo" } }""", TestGateway.Upstream("echo", backend.Address));

        var edit = await Should.ThrowAsync<InvalidOperationException>(() => gateway.EditStreamsAsync($$"""{ "127.0.0.1:0": { "upstream": "echo", {{option}} } }"""));

        edit.Message.ShouldContain("127.0.0.1:0");
        edit.Message.ShouldContain(error);
        using var client = await StreamClient.ConnectAsync(gateway.Bound("127.0.0.1:0"));
        await client.SendAsync("still");
        (await client.ReceiveAsync(5)).ShouldBe("still");
    }
}
