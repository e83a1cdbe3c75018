using Microsoft.AspNetCore.Http;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Proxy;

/// <summary>Passive health through the whole gateway, with time driven by an injected clock.</summary>
public abstract class PassiveHealthTests : ForwarderTests
{
    protected PassiveHealthTests(string forwarder)
        : base(forwarder)
    {
    }

    [Fact]
    public async Task FailingPeer_IsTakenOutForFailTimeoutAndComesBackAfterIt()
    {
        var clock = new ManualTimeProvider();
        await using var bad = await TestBackend.StartAsync(context =>
        {
            context.Response.StatusCode = 502;
            return Task.CompletedTask;
        });
        await using var good = await TestBackend.StartNamedAsync("good");
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("p.test", bad.Address, good.Address))
        {
            ["Upstreams:p.test:servers:0:max_fails"] = "1",
            ["Upstreams:p.test:servers:0:fail_timeout"] = "10",
        };
        await using var gateway = await StartGatewayAsync(settings, configureServices: services => services.AddSingleton<TimeProvider>(clock));

        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.GetAsync("p.test");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // One try reached the bad peer, then it was out of rotation.
        Assert.Equal(1, bad.Requests);

        clock.Advance(TimeSpan.FromSeconds(9));
        for (var i = 0; i < 5; i++)
        {
            (await gateway.GetAsync("p.test")).Dispose();
        }

        Assert.Equal(1, bad.Requests);

        clock.Advance(TimeSpan.FromSeconds(2));
        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.GetAsync("p.test");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(bad.Requests > 1, "the peer got tries again once fail_timeout had passed");
    }

    [Fact]
    public async Task FailedStatusWithNoTryLeft_IsRecordedBeforeTheClientHasTheAnswer()
    {
        // The first answer's body is held open: its headers are at the client, the try is not over.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var badRequests = 0;
        await using var bad = await TestBackend.StartAsync(async context =>
        {
            context.Response.StatusCode = 502;
            if (Interlocked.Increment(ref badRequests) == 1)
            {
                await context.Response.WriteAsync("bad;");
                await context.Response.Body.FlushAsync();
                await release.Task;
            }
        });
        await using var good = await TestBackend.StartNamedAsync("good");
        var settings = new Dictionary<string, string?>(TestGateway.Upstream("p.test", bad.Address, good.Address))
        {
            // Without the failure recorded, smooth weighted round robin picks the heavy peer again.
            ["Upstreams:p.test:servers:0:weight"] = "10",
            ["Upstreams:p.test:servers:0:max_fails"] = "1",
            ["Upstreams:p.test:try"] = "1",
        };
        await using var gateway = await StartGatewayAsync(settings);

        var first = new HttpRequestMessage(HttpMethod.Get, "/");
        first.Headers.Host = "p.test";
        using var failed = await gateway.Client.SendAsync(first, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);

        using var next = await gateway.GetAsync("p.test");
        release.SetResult();

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("good", await next.Content.ReadAsStringAsync());
        Assert.Equal("bad;", await failed.Content.ReadAsStringAsync());
        Assert.Equal(1, bad.Requests);
    }

    [Fact]
    public async Task SlowBody_LatencyIsTimeToHeadersButAccessLogHasTheWholeResponse()
    {
        var clock = new ManualTimeProvider();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = await TestBackend.StartAsync(async context =>
        {
            await context.Response.WriteAsync("head;");
            await context.Response.Body.FlushAsync();
            await release.Task;
            await context.Response.WriteAsync("tail");
        });
        await using var gateway = await StartGatewayAsync(
            new Dictionary<string, string?>(TestGateway.Upstream("slow.test", backend.Address)),
            configureServices: services => services.AddSingleton<TimeProvider>(clock));
        using var probe = new AccessLogProbe(gateway.AccessLog);

        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "slow.test";
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        clock.Advance(TimeSpan.FromSeconds(10));
        release.SetResult();
        Assert.Equal("head;tail", await response.Content.ReadAsStringAsync());

        Assert.Equal("10.000", (await probe.NextAsync()).UpstreamResponseTime);
        var status = (await gateway.AdminAsync(HttpMethod.Get, "/status")).Json;
        // Zero on this clock, which the ewma treats as "no sample"; never the 10 s of the body.
        Assert.True(status!["cls:slow.test"]![0]![0]!["latency_ms"] is not { } latency || latency.GetValue<double>() < 1000);
        var metrics = await gateway.Admin.GetStringAsync("/metrics");
        Assert.Contains($"slardar_upstream_peer_latency_seconds_bucket{{peer=\"{backend.Address}\",upstream=\"slow.test\",le=\"0.005\"}} 1", metrics);
    }

    public sealed class Fast() : PassiveHealthTests("fast");

    public sealed class Yarp() : PassiveHealthTests("yarp");
}
