using System.Diagnostics;
using System.Net;
using Shouldly;
using Slardar.Scriptable.Tests.Checkups.Probes;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Services.Limits;

/// <summary>A cluster limit shared by two gateways on one real redis-server, offered five times its rate for 10 s.</summary>
public sealed class ClusterLimitAccuracyTests
{
    [Fact]
    public async Task ClusterLimit_TwoGatewaysOfferedFiveTimesTheRate_AdmitRateTimesTimePlusBurstWithinFivePercent()
    {
        const double rate = 20;
        const int burst = 5;
        using var redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string?> { ["Redis:Default:Endpoints"] = $"127.0.0.1:{redis.Port}" };
        var limit = $"{{\"rate\": {rate}, \"burst\": {burst}, \"key\": \"host\", \"scope\": \"cluster\"}}";
        var manifest = "{\"hosts\": {\"c.test\": {\"upstream\": \"none\", \"limit\": " + limit + "}}}";
        await using var first = await TestGateway.StartAsync(settings, manifest);
        await using var second = await TestGateway.StartAsync(settings, manifest);
        TestGateway[] gateways = [first, second];

        // 5 × 20 = 100 requests per second, alternating gateways, each sent at its own moment.
        const int total = 1000;
        var interval = TimeSpan.FromSeconds(1 / (rate * 5));
        var clock = Stopwatch.StartNew();
        var sends = new List<Task<HttpStatusCode>>(total);
        for (var i = 0; i < total; i++)
        {
            var due = interval * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            sends.Add(SendAsync(gateways[i % 2]));
        }

        var statuses = await Task.WhenAll(sends);
        var elapsed = clock.Elapsed;
        var admitted = statuses.Count(s => s != HttpStatusCode.TooManyRequests);

        // What the limit allows over the time the requests were actually offered.
        var expected = (rate * (elapsed.TotalSeconds - interval.TotalSeconds)) + burst + 1;
        admitted.ShouldBeInRange((int)Math.Floor(expected * 0.95), (int)Math.Ceiling(expected * 1.05), $"{admitted} admitted of {total} in {elapsed.TotalSeconds:0.00} s");
        statuses.ShouldAllBe(s => s == HttpStatusCode.TooManyRequests || s == HttpStatusCode.BadGateway);
    }

    private static async Task<HttpStatusCode> SendAsync(TestGateway gateway)
    {
        using var response = await gateway.GetAsync("c.test");
        return response.StatusCode;
    }
}
