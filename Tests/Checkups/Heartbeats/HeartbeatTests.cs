using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Host.Checkups.Heartbeats;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Checkups.Heartbeats;

/// <summary>Active health checks through the whole gateway, rounds run on demand; /status as the operator sees it.</summary>
public sealed class HeartbeatTests
{
    private static async Task<JsonObject> StatusAsync(TestGateway gateway) => (await gateway.AdminAsync(HttpMethod.Get, "/status")).Json!.AsObject();

    private static JsonNode? Peer(JsonObject status, string upstream, string address) =>
        status[$"cls:{upstream}"]!.AsArray().SelectMany(level => level!.AsArray())
            .Single(p => p!["server"]!.GetValue<string>() == $"{upstream}:{address}");

    private static Task RunRoundAsync(TestGateway gateway) => gateway.Services.GetRequiredService<HeartbeatScheduler>().RunRoundAsync();

    [Fact]
    public async Task Round_DeadPeer_IsErrInStatusAndGetsNoTraffic()
    {
        await using var alive = await TestBackend.StartNamedAsync("alive");
        var dead = $"127.0.0.1:{DeadPeer.ReservePort()}";
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream("hb.test", dead, alive.Address)));

        await RunRoundAsync(gateway);

        var status = await StatusAsync(gateway);
        var deadPeer = Peer(status, "hb.test", dead)!;
        Assert.Equal("err", deadPeer["status"]!.GetValue<string>());
        Assert.Equal(1, deadPeer["fail_num"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(deadPeer["msg"]!.GetValue<string>()));
        Assert.False(deadPeer["usable"]!.GetValue<bool>());
        Assert.Equal("ok", Peer(status, "hb.test", alive.Address)!["status"]!.GetValue<string>());
        Assert.NotNull(status["last_check_time"]);

        using var probe = new AccessLogProbe(gateway.AccessLog);
        for (var i = 0; i < 6; i++)
        {
            (await gateway.GetAsync("hb.test")).Dispose();
            Assert.Equal(1, (await probe.NextAsync()).Tries);
        }
    }

    [Fact]
    public async Task Round_PeerComesBack_IsOkAgainAfterRiseRounds()
    {
        await using var alive = await TestBackend.StartNamedAsync("alive");
        using var flapping = new ReopenablePeer();
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("hb.test", flapping.Address, alive.Address))
        {
            ["Upstreams:hb.test:rise"] = "2",
        };
        await using var gateway = await TestGateway.StartAsync(settings);

        await RunRoundAsync(gateway);
        Assert.Equal("err", Peer(await StatusAsync(gateway), "hb.test", flapping.Address)!["status"]!.GetValue<string>());

        flapping.Open();
        await RunRoundAsync(gateway);
        Assert.Equal("err", Peer(await StatusAsync(gateway), "hb.test", flapping.Address)!["status"]!.GetValue<string>());
        await RunRoundAsync(gateway);
        var peer = Peer(await StatusAsync(gateway), "hb.test", flapping.Address)!;
        Assert.Equal("ok", peer["status"]!.GetValue<string>());
        Assert.Equal(0, peer["fail_num"]!.GetValue<int>());
        Assert.True(flapping.Connections >= 2);
    }

    [Fact]
    public async Task Round_EjectedPeerRecovers_EjectionEndsWithTheRecoveryRound()
    {
        await using var alive = await TestBackend.StartNamedAsync("alive");
        using var flapping = new ReopenablePeer();
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("hb.test", flapping.Address, alive.Address))
        {
            ["Upstreams:hb.test:servers:0:max_fails"] = "0", // passive health would stop the tries that eject it
        };
        await using var gateway = await TestGateway.StartAsync(settings);
        for (var i = 0; i < 10; i++)
        {
            (await gateway.GetAsync("hb.test")).Dispose();
        }

        await RunRoundAsync(gateway);
        var down = Peer(await StatusAsync(gateway), "hb.test", flapping.Address)!;
        Assert.Equal("err", down["status"]!.GetValue<string>());
        Assert.True(down["outlier"]!["ejected"]!.GetValue<bool>(), "connect errors in a row eject it");

        flapping.Open();
        await RunRoundAsync(gateway);

        var back = Peer(await StatusAsync(gateway), "hb.test", flapping.Address)!;
        Assert.Equal("ok", back["status"]!.GetValue<string>());
        Assert.False(back["outlier"]!["ejected"]!.GetValue<bool>(), "the recovery ends the 30 s ejection");
        Assert.True(back["usable"]!.GetValue<bool>());
        Assert.Equal(1, back["outlier"]!["ejections"]!.GetValue<int>());
    }

    [Fact]
    public async Task Round_EjectedPeerStillPassingItsCheck_StaysEjected()
    {
        await using var alive = await TestBackend.StartNamedAsync("alive");
        await using var failing = await TestBackend.StartAsync(context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("hb.test", failing.Address, alive.Address))
        {
            ["Upstreams:hb.test:servers:0:max_fails"] = "0",
        };
        await using var gateway = await TestGateway.StartAsync(settings);
        await RunRoundAsync(gateway);
        for (var i = 0; i < 10; i++)
        {
            (await gateway.GetAsync("hb.test")).Dispose();
        }

        await RunRoundAsync(gateway);
        await RunRoundAsync(gateway);

        var peer = Peer(await StatusAsync(gateway), "hb.test", failing.Address)!;
        Assert.Equal("ok", peer["status"]!.GetValue<string>());
        Assert.True(peer["outlier"]!["ejected"]!.GetValue<bool>(), "a connect check that passes says nothing about its 503s");
    }

    [Fact]
    public async Task Round_EveryPeerDeadAndProtected_FirstStaysUsableAsUnstable()
    {
        var first = $"127.0.0.1:{DeadPeer.ReservePort()}";
        var second = $"127.0.0.1:{DeadPeer.ReservePort()}";
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream("hb.test", first, second)));

        await RunRoundAsync(gateway);

        var status = await StatusAsync(gateway);
        Assert.Equal("unstable", Peer(status, "hb.test", first)!["status"]!.GetValue<string>());
        Assert.Equal("err", Peer(status, "hb.test", second)!["status"]!.GetValue<string>());
        using var response = await gateway.GetAsync("hb.test");
        Assert.Equal("50200003", response.Headers.GetValues("X-Error-Code").Single());
    }

    [Fact]
    public async Task Round_EveryPeerDeadAndUnprotected_NoLivePeers()
    {
        var first = $"127.0.0.1:{DeadPeer.ReservePort()}";
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("hb.test", first)) { ["Upstreams:hb.test:protected"] = "false" };
        await using var gateway = await TestGateway.StartAsync(settings);

        await RunRoundAsync(gateway);

        Assert.Equal("err", Peer(await StatusAsync(gateway), "hb.test", first)!["status"]!.GetValue<string>());
        using var response = await gateway.GetAsync("hb.test");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("50200002", response.Headers.GetValues("X-Error-Code").Single());
    }

    [Fact]
    public async Task Round_HttpCheckWithFailureStatus_MarksThePeerErrWithTheStatus()
    {
        await using var sick = await TestBackend.StartAsync(context => { context.Response.StatusCode = context.Request.Path == "/health" ? 503 : 200; return Task.CompletedTask; });
        await using var well = await TestBackend.StartNamedAsync("well");
        await using var gateway = await TestGateway.StartAsync();
        var servers = $"[{{\"host\":\"127.0.0.1\",\"port\":{sick.Port}}},{{\"host\":\"127.0.0.1\",\"port\":{well.Port}}}]";
        var body = "{\"servers\":" + servers + ""","typ":"http","http_opts":{"query":"GET /health HTTP/1.0\r\nHost: hb.test\r\n\r\n","statuses":{"503":false}}}""";
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/upstream/hb.test", body)).Status);

        await RunRoundAsync(gateway);

        var status = await StatusAsync(gateway);
        var peer = Peer(status, "hb.test", sick.Address)!;
        Assert.Equal("err", peer["status"]!.GetValue<string>());
        Assert.Contains("503", peer["msg"]!.GetValue<string>());
        Assert.Equal("ok", Peer(status, "hb.test", well.Address)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Edit_PeerThatStays_KeepsItsHealthAndRemovedPeerIsNeverProbed()
    {
        await using var alive = await TestBackend.StartNamedAsync("alive");
        var dead = $"127.0.0.1:{DeadPeer.ReservePort()}";
        using var removed = new ReopenablePeer();
        removed.Open();
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(TestGateway.Upstream("hb.test", dead, alive.Address, removed.Address)));
        await RunRoundAsync(gateway);
        Assert.Equal("err", Peer(await StatusAsync(gateway), "hb.test", dead)!["status"]!.GetValue<string>());

        var body = $"{{\"servers\":[{{\"host\":\"127.0.0.1\",\"port\":{dead.Split(':')[1]}}},{{\"host\":\"127.0.0.1\",\"port\":{alive.Port}}}]}}";
        Assert.Equal(200, (await gateway.AdminAsync(HttpMethod.Post, "/upstream/hb.test", body)).Status);

        // Before any new round: the dead peer is still err, not reset to ok by the edit.
        Assert.Equal("err", Peer(await StatusAsync(gateway), "hb.test", dead)!["status"]!.GetValue<string>());
        var connectionsBefore = removed.Connections;
        await RunRoundAsync(gateway);
        Assert.Equal(connectionsBefore, removed.Connections);
    }

    [Fact]
    public async Task Timer_DeadPeer_TurnsErrWithinOneInterval()
    {
        await using var alive = await TestBackend.StartNamedAsync("alive");
        var dead = $"127.0.0.1:{DeadPeer.ReservePort()}";
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("hb.test", dead, alive.Address))
        {
            ["Checkups:ActiveChecks"] = "true",
            ["Checkups:IntervalSeconds"] = "0.2",
        };
        await using var gateway = await TestGateway.StartAsync(settings);
        var scheduler = gateway.Services.GetRequiredService<HeartbeatScheduler>();
        var rounds = 0;
        var twoRounds = new TaskCompletionSource();
        scheduler.RoundCompleted += _ =>
        {
            if (Interlocked.Increment(ref rounds) == 2)
            {
                twoRounds.TrySetResult();
            }
        };

        await twoRounds.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var status = await StatusAsync(gateway);
        Assert.Equal("err", Peer(status, "hb.test", dead)!["status"]!.GetValue<string>());
        Assert.True(status["checkup_timer_alive"]!.GetValue<bool>());
    }
}
