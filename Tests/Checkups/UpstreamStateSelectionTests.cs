using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Tests.Support;
using Xunit;
using static Slardar.Scriptable.Tests.Checkups.Upstreams;

namespace Slardar.Scriptable.Tests.Checkups;

public sealed class UpstreamStateSelectionTests
{
    private readonly FakeTimeProvider _time = new();

    private UpstreamState Upstream(params PeerConfig[] peers) => new(Config("up", peers), _time);

    private UpstreamState Upstream(params PeerConfig[][] levels) => new(Levels("up", levels), _time);

    [Fact]
    public void SelectPeer_Weights511_GivesNginxSequenceOverTwoCycles()
    {
        var upstream = Upstream(Peer("a", weight: 5), Peer("b"), Peer("c"));

        upstream.Picks(14).ShouldBe("aabacaa" + "aabacaa");
    }

    [Fact]
    public void SelectPeer_EqualWeights_RotatesInOrder()
    {
        var upstream = Upstream(Peer("a", weight: 2), Peer("b", weight: 2), Peer("c", weight: 2));

        upstream.Picks(9).ShouldBe("abcabcabc");
    }

    [Fact]
    public void SelectPeer_SinglePeer_IsAlwaysPicked()
    {
        Upstream(Peer("a", weight: 3)).Picks(4).ShouldBe("aaaa");
    }

    [Fact]
    public void SelectPeer_Weights_AreHonouredPerCycle()
    {
        var upstream = Upstream(Peer("a", weight: 4), Peer("b", weight: 3), Peer("c", weight: 2), Peer("d"));

        for (var cycle = 0; cycle < 3; cycle++)
        {
            var picks = upstream.Picks(10);
            picks.Count(c => c == 'a').ShouldBe(4);
            picks.Count(c => c == 'b').ShouldBe(3);
            picks.Count(c => c == 'c').ShouldBe(2);
            picks.Count(c => c == 'd').ShouldBe(1);
        }
    }

    [Fact]
    public void SelectPeer_Excluded_SkipsTriedPeers()
    {
        var upstream = Upstream(Peer("a", weight: 5), Peer("b"), Peer("c"));
        PeerState[] tried = [upstream.Named("a")];

        upstream.Picks(6, tried).ShouldBe("bcbcbc");
    }

    [Fact]
    public void SelectPeer_EveryPeerExcluded_ReturnsNull()
    {
        var upstream = Upstream(Peer("a"), Peer("b"));

        upstream.SelectPeer([upstream.Named("a"), upstream.Named("b")]).ShouldBeNull();
    }

    [Fact]
    public void SelectPeer_Level1Usable_NeverUsesLevel2()
    {
        var upstream = Upstream([Peer("a"), Peer("b")], [Peer("c", weight: 100)]);

        upstream.Picks(6).ShouldBe("ababab");
    }

    [Fact]
    public void SelectPeer_Level1AllTried_UsesLevel2()
    {
        var upstream = Upstream([Peer("a"), Peer("b")], [Peer("c")], [Peer("d")]);

        upstream.SelectPeer([upstream.Named("a"), upstream.Named("b")]).ShouldBeSameAs(upstream.Named("c"));
        upstream.SelectPeer([upstream.Named("a"), upstream.Named("b"), upstream.Named("c")]).ShouldBeSameAs(upstream.Named("d"));
    }

    [Fact]
    public void SelectPeer_Level1AllDown_UsesLevel2UntilLevel1IsBack()
    {
        var upstream = Upstream([Peer("a", failTimeoutSeconds: 10), Peer("b", failTimeoutSeconds: 10)], [Peer("c")]);

        upstream.Fail("a");
        upstream.Fail("b");

        upstream.Picks(3).ShouldBe("ccc");
        _time.Advance(TimeSpan.FromSeconds(10));
        var picks = upstream.Picks(4);
        picks.ShouldNotContain('c');
        picks.ShouldContain('a');
        picks.ShouldContain('b');
    }

    [Fact]
    public void SelectPeer_SameHostInBackupLevel_CanBeTriedAgain()
    {
        // checkups keys tried peers by level, so a host listed in both levels gets a second chance.
        var upstream = Upstream([Peer("a")], [Peer("a")]);
        var first = upstream.SelectPeer().ShouldNotBeNull();

        var second = upstream.SelectPeer([first]).ShouldNotBeNull();

        second.Level.ShouldBe(1);
        second.Address.ShouldBe("a:80");
        upstream.SelectPeer([first, second]).ShouldBeNull();
    }

    [Fact]
    public void Feedback_Failure_LowersEffectiveWeightByWeightOverMaxFails()
    {
        var upstream = Upstream(Peer("a", weight: 6, maxFails: 3), Peer("b", weight: 6, maxFails: 3));
        var a = upstream.Named("a");

        upstream.Feedback(a, failed: true);

        a.EffectiveWeight.ShouldBe(4);
        upstream.Picks(1);
        a.EffectiveWeight.ShouldBe(5, "a peer earns one point back per selection round");
        upstream.Picks(1);
        a.EffectiveWeight.ShouldBe(6);
        upstream.Picks(1);
        a.EffectiveWeight.ShouldBe(6, "never above the configured weight");
    }

    [Fact]
    public void Feedback_Failure_ShiftsTrafficAwayWhileWeightRecovers()
    {
        var upstream = Upstream(Peer("a", weight: 10, maxFails: 2), Peer("b", weight: 10, maxFails: 2));

        upstream.Fail("a");

        // a's effective weight dropped to 5 and climbs back by one per round.
        upstream.Picks(4).ShouldBe("baba");
        upstream.Named("a").EffectiveWeight.ShouldBe(9);
    }

    [Fact]
    public void SelectPeer_HotPath_DoesNotAllocate()
    {
        var upstream = Upstream([Peer("a", weight: 5), Peer("b"), Peer("c")], [Peer("d")]);
        IReadOnlyList<PeerState> tried = new List<PeerState> { upstream.Named("b") };
        for (var i = 0; i < 100; i++)
        {
            upstream.SelectPeer(tried);
            upstream.SelectPeer();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            upstream.SelectPeer(tried);
            upstream.SelectPeer();
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }

    [Fact]
    public void FindPeer_HostInAnyCase_FindsFirstInLevelOrder()
    {
        var upstream = Upstream([Peer("Alpha.example")], [Peer("alpha.example")]);

        upstream.FindPeer("ALPHA.EXAMPLE", 80).ShouldNotBeNull().Level.ShouldBe(0);
        upstream.FindPeer("alpha.example", 81).ShouldBeNull();
    }
}
