using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Tests.Support;
using Xunit;
using static Slardar.Scriptable.Tests.Checkups.Upstreams;

namespace Slardar.Scriptable.Tests.Checkups;

/// <summary>In-flight accounting (one Feedback or Release per SelectPeer) and the allocation-free hot path.</summary>
public sealed class UpstreamStateInFlightTests
{
    private readonly FakeTimeProvider _time = new();

    public static TheoryData<string> AllModes => [.. Enum.GetNames<BalancingMode>()];

    [Fact]
    public void Feedback_Twice_NeverGoesNegative()
    {
        var upstream = new UpstreamState(Config("up", Peer("a"), Peer("b")), _time);
        var peer = upstream.SelectPeer()!;
        peer.InFlight.ShouldBe(1);

        upstream.Feedback(peer, failed: false);
        upstream.Feedback(peer, failed: false);
        upstream.Release(peer);

        peer.InFlight.ShouldBe(0);
        upstream.SelectPeer()!.InFlight.ShouldBe(1, "the count still works afterwards");
    }

    [Fact]
    public void Release_EndsTheTryWithoutAVerdict()
    {
        var upstream = new UpstreamState(Config("up", Peer("a", maxFails: 2), Peer("b")), _time);
        var a = upstream.Named("a");
        upstream.Fail("a");
        upstream.SelectPeer([upstream.Named("b")]).ShouldBeSameAs(a);

        upstream.Release(a);

        a.InFlight.ShouldBe(0);
        a.Failures.ShouldBe(1, "a release is not a success");
        a.EwmaMilliseconds.ShouldBeNull();
    }

    [Fact]
    public void InFlight_IsSharedAcrossLevelsAndGenerations()
    {
        var registry = new UpstreamRegistry(_time);
        registry.Set(Levels("up", [Peer("a")], [Peer("a")]));
        registry.TryGet("up", out var old);
        var peer = old!.SelectPeer()!;

        registry.Set(Levels("up", [Peer("a", weight: 2)], [Peer("a")]));
        registry.TryGet("up", out var current);

        current!.Levels[0][0].InFlight.ShouldBe(1);
        current.Levels[1][0].InFlight.ShouldBe(1, "one server, one count");
        old.Feedback(peer, failed: false);
        current.Levels[0][0].InFlight.ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(AllModes))]
    public void SelectPeer_EveryMode_DoesNotAllocate(string modeName)
    {
        var mode = Enum.Parse<BalancingMode>(modeName);
        var upstream = new UpstreamState(
            NamedLevels("up", ("dc1", [Peer("a", weight: 5), Peer("b"), Peer("c")]), ("dc2", [Peer("d")])) with { Mode = mode },
            _time);
        IReadOnlyList<PeerState> tried = new List<PeerState> { upstream.Named("b") };
        IReadOnlyList<string> keys = ["dc2", "dc1"];
        var withKeys = new PeerSelection(tried, "/some/uri?x=1", keys);
        var plain = new PeerSelection(HashKey: "10.1.2.3");
        for (var i = 0; i < 100; i++)
        {
            Cycle(upstream, withKeys, plain);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Cycle(upstream, withKeys, plain);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }

    private static void Cycle(UpstreamState upstream, in PeerSelection withKeys, in PeerSelection plain)
    {
        upstream.Feedback(upstream.SelectPeer(withKeys)!, failed: false, status: 200, elapsed: TimeSpan.FromMilliseconds(3));
        upstream.Feedback(upstream.SelectPeer(plain)!, failed: false, status: 200, elapsed: TimeSpan.FromMilliseconds(5));
    }
}
