using System.Diagnostics;
using System.Net;
using Shouldly;
using Slardar.Scriptable.Host.Services.Limits;
using Slardar.Scriptable.Tests.Checkups.Probes;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Services.Limits;

/// <summary>A cluster limit shared by two gateway processes on one real redis-server, offered five times its rate for 10 s.</summary>
public sealed class ClusterLimitAccuracyTests
{
    [Fact]
    public async Task ClusterLimit_TwoGatewayProcessesOfferedFiveTimesTheRate_AdmitWhatOneSharedBucketAdmitsWithinFivePercent()
    {
        const double rate = 20;
        const int burst = 5;
        using var redis = await RedisServer.StartAsync();
        var limit = $"{{\"rate\": {rate}, \"burst\": {burst}, \"key\": \"host\", \"scope\": \"cluster\"}}";
        var folder = Directory.CreateTempSubdirectory("slardar-limit-").FullName;
        var manifest = Path.Combine(folder, "scripts.json");
        await File.WriteAllTextAsync(manifest, "{\"hosts\": {\"c.test\": {\"upstream\": \"none\", \"limit\": " + limit + "}, \"warm.test\": {\"upstream\": \"none\", \"limit\": " + limit + "}}}");
        string[] args = [$"--Scripts:Manifest={manifest}", $"--Scripts:Folder={Path.Combine(folder, "Scripts")}", $"--Redis:Default:Endpoints=127.0.0.1:{redis.Port}"];
        await using var first = await GatewayProcess.StartAsync(args);
        await using var second = await GatewayProcess.StartAsync(args);
        using var client = new HttpClient();
        string[] gateways = [first.ProxyUrl, second.ProxyUrl];

        // The cluster path warmed on both gateways (JIT, the script's SHA) on a bucket of its own.
        foreach (var gateway in gateways)
        {
            for (var i = 0; i < 10; i++)
            {
                using var warm = await SendAsync(client, gateway, "warm.test");
            }
        }

        // 5 × 20 = 100 requests per second, alternating gateways, each sent at its own moment.
        const int total = 1000;
        var interval = TimeSpan.FromSeconds(1 / (rate * 5));
        var clock = Stopwatch.StartNew();
        var sends = new List<Task<(HttpStatusCode Status, TimeSpan Sent, TimeSpan Answered)>>(total);
        for (var i = 0; i < total; i++)
        {
            var due = interval * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            sends.Add(TimeAsync(client, gateways[i % 2], clock));
        }

        var results = await Task.WhenAll(sends);
        var admitted = results.Count(r => r.Status != HttpStatusCode.TooManyRequests);

        // What one shared bucket admits for these arrivals. A decision falls between a request's
        // send and its answer, so its midpoint stands for it; replaying the midpoints through the
        // same limit_req arithmetic counts the tokens a busy machine's pauses let go to waste
        // (a gap longer than burst / rate fills the bucket), which rate × span + burst would not.
        static double Mid((HttpStatusCode Status, TimeSpan Sent, TimeSpan Answered) r) => (r.Sent + r.Answered).TotalSeconds / 2;
        var arrivals = results.Select(Mid).Order().ToArray();
        var expected = AdmittedByOneBucket(arrivals, rate, burst);
        var span = arrivals[^1] - arrivals[0];
        admitted.ShouldBeInRange((int)Math.Floor(expected * 0.95) - 2, (int)Math.Ceiling(expected * 1.05) + 2, $"{admitted} admitted of {total} over {span:0.00} s; one bucket would admit {expected} (a bucket per gateway about twice that)");
        results.ShouldAllBe(r => r.Status == HttpStatusCode.TooManyRequests || r.Status == HttpStatusCode.BadGateway);
    }

    private static int AdmittedByOneBucket(double[] arrivalSeconds, double rate, int burst)
    {
        const long frequency = TimeSpan.TicksPerSecond;
        var bucket = new LimitBucket(TimeSpan.FromSeconds(arrivalSeconds[0]).Ticks);
        return arrivalSeconds.Count(at => bucket.TryTake(rate, burst + 1, TimeSpan.FromSeconds(at).Ticks, frequency).Allowed);
    }

    private static async Task<(HttpStatusCode, TimeSpan, TimeSpan)> TimeAsync(HttpClient client, string gateway, Stopwatch clock)
    {
        var sent = clock.Elapsed;
        using var response = await SendAsync(client, gateway, "c.test");
        return (response.StatusCode, sent, clock.Elapsed);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string gateway, string host) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Get, gateway + "/") { Headers = { Host = host } });
}
