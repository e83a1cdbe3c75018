using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Slardar.Scriptable.Host.Checkups.Heartbeats;
using Slardar.Scriptable.Tests.Checkups.Probes;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>
/// Active checks of a stream listener's upstream: a peer whose redis check fails stops getting
/// sessions (it still accepts connections, so only the check can tell) and gets them again once it
/// passes. The peers are scripted Redis servers that also say who they are (<c>WHO</c>); they keep
/// their half open after the client's FIN, so the gateway closes those sessions when it stops.
/// </summary>
public sealed class StreamActiveCheckTests
{
    [Fact]
    public async Task RedisCheckFails_PeerGetsNoSessions_PassesAgain_PeerIsBack()
    {
        var healthy = new[] { true, true };
        using var a = Peer("a", () => healthy[0]);
        using var b = Peer("b", () => healthy[1]);
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "rpool" } }""",
            [.. TestGateway.Upstream("rpool", $"127.0.0.1:{a.Port}", $"127.0.0.1:{b.Port}"), new("Upstreams:rpool:typ", "redis"), new("Streams:DrainTimeoutSeconds", "0")]);
        var scheduler = gateway.Services.GetRequiredService<HeartbeatScheduler>();
        var endPoint = gateway.Bound("127.0.0.1:0");

        await scheduler.RunRoundAsync();
        (await WhoAnswersAsync(endPoint, 4)).ShouldBe(["a", "b"], ignoreOrder: true);

        healthy[0] = false;
        await scheduler.RunRoundAsync();
        (await WhoAnswersAsync(endPoint, 6)).ShouldBe(["b"]);

        healthy[0] = true;
        await scheduler.RunRoundAsync();
        (await WhoAnswersAsync(endPoint, 4)).ShouldBe(["a", "b"], ignoreOrder: true);
    }

    [Fact]
    public async Task CheckTimer_PeerTurnsErrWithinItsRounds_SessionsAvoidIt()
    {
        var healthy = new[] { true, true };
        using var a = Peer("a", () => healthy[0]);
        using var b = Peer("b", () => healthy[1]);
        await using var gateway = await StreamGatewayFixture.StartAsync(
            """{ "127.0.0.1:0": { "upstream": "rpool" } }""",
            [
                .. TestGateway.Upstream("rpool", $"127.0.0.1:{a.Port}", $"127.0.0.1:{b.Port}"),
                new("Upstreams:rpool:typ", "redis"),
                new("Checkups:ActiveChecks", "true"),
                new("Checkups:IntervalSeconds", "0.1"),
                new("Streams:DrainTimeoutSeconds", "0"),
            ]);
        var scheduler = gateway.Services.GetRequiredService<HeartbeatScheduler>();
        var endPoint = gateway.Bound("127.0.0.1:0");

        // Two rounds after the change: the second one began after it.
        healthy[1] = false;
        await RoundsAsync(scheduler, 2);
        (await WhoAnswersAsync(endPoint, 6)).ShouldBe(["a"]);

        healthy[1] = true;
        await RoundsAsync(scheduler, 2);
        (await WhoAnswersAsync(endPoint, 4)).ShouldBe(["a", "b"], ignoreOrder: true);
    }

    // PING answers PONG while healthy, LOADING (an error: the check fails) otherwise; WHO answers the name.
    private static ScriptedPeer Peer(string name, Func<bool> healthy) => FakeRedis.Start(command => command[0] switch
    {
        "PING" => healthy() ? "+PONG\r\n" : "-LOADING Redis is loading the dataset in memory\r\n",
        "WHO" => $"+{name}\r\n",
        _ => "-ERR unknown command\r\n",
    });

    // One session per question; the distinct peers that answered.
    private static async Task<string[]> WhoAnswersAsync(IPEndPoint endPoint, int sessions)
    {
        var names = new HashSet<string>();
        for (var i = 0; i < sessions; i++)
        {
            using var client = await StreamClient.ConnectAsync(endPoint);
            await client.SendAsync("*1\r\n$3\r\nWHO\r\n");
            names.Add((await client.ReceiveAsync(4))[1..2]);
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }

    private static async Task RoundsAsync(HeartbeatScheduler scheduler, int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var rounds = 0;
        void OnRound(int _)
        {
            if (Interlocked.Increment(ref rounds) == count)
            {
                done.TrySetResult();
            }
        }

        scheduler.RoundCompleted += OnRound;
        try
        {
            await done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            scheduler.RoundCompleted -= OnRound;
        }
    }
}
