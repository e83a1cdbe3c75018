using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Tests.Support;
using Xunit;
using static Slardar.Scriptable.Tests.Checkups.Upstreams;

namespace Slardar.Scriptable.Tests.Checkups;

public sealed class UpstreamStateConcurrencyTests
{
    [Fact]
    public void SelectPeer_ManyThreadsWithSuccessFeedback_DistributionMatchesWeightsExactly()
    {
        const int Threads = 8;
        const int PicksPerThread = 5_000;
        var upstream = new UpstreamState(Config("up", Peer("a", weight: 5), Peer("b", weight: 3), Peer("c", weight: 2)), new FakeTimeProvider());
        var counts = new Dictionary<string, int>[Threads];
        using var start = new Barrier(Threads);

        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var local = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0, ["c"] = 0 };
            start.SignalAndWait();
            for (var i = 0; i < PicksPerThread; i++)
            {
                var peer = upstream.SelectPeer()!;
                local[peer.Host]++;
                upstream.Feedback(peer, failed: false);
            }

            counts[t] = local;
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        // Smooth WRR is exact per cycle of 10 picks, whichever thread makes each pick.
        const int Total = Threads * PicksPerThread;
        counts.Sum(c => c["a"]).ShouldBe(Total / 10 * 5);
        counts.Sum(c => c["b"]).ShouldBe(Total / 10 * 3);
        counts.Sum(c => c["c"]).ShouldBe(Total / 10 * 2);
        upstream.Levels[0].ShouldAllBe(p => p.Failures == 0 && p.EffectiveWeight == p.Config.Weight);
    }

    [Fact]
    public void Feedback_ManyThreadsFailingEveryPeer_KeepsOnePeerUsable()
    {
        var time = new FakeTimeProvider();
        var upstream = new UpstreamState(Levels("up", [Peer("a"), Peer("b")], [Peer("c"), Peer("d")]), time);

        Parallel.For(0, 4_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            if (upstream.SelectPeer() is { } peer)
            {
                upstream.Feedback(peer, failed: true);
            }

            if (i % 500 == 0)
            {
                time.Advance(TimeSpan.FromSeconds(3));
            }
        });

        upstream.Levels.SelectMany(l => l).Count(upstream.IsUsable).ShouldBeGreaterThanOrEqualTo(1);
        upstream.SelectPeer().ShouldNotBeNull();
    }

    [Theory]
    [InlineData("least_conn")]
    [InlineData("ewma")]
    [InlineData("hash")]
    public void SelectPeer_ManyThreadsEachAnsweringOnce_LeavesNothingInFlight(string mode)
    {
        BalancingModes.TryParse(mode, out var parsed).ShouldBeTrue();
        var upstream = new UpstreamState(Config("up", Peer("a", weight: 2), Peer("b"), Peer("c", maxFails: 0)) with { Mode = parsed }, new FakeTimeProvider());
        var maxInFlight = 0;

        Parallel.For(0, 8_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var peer = upstream.SelectPeer(new PeerSelection(HashKey: "/k" + (i % 50)))!;
            InterlockedMax(ref maxInFlight, peer.InFlight);
            upstream.Feedback(peer, failed: i % 7 == 0, status: i % 7 == 0 ? 502 : 200, elapsed: TimeSpan.FromMilliseconds(1 + (i % 5)));
        });

        upstream.Levels[0].ShouldAllBe(p => p.InFlight == 0);
        maxInFlight.ShouldBeInRange(1, 4);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }
}
