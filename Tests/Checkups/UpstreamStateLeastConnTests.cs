using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Tests.Support;
using Xunit;
using static Slardar.Scriptable.Tests.Checkups.Upstreams;

namespace Slardar.Scriptable.Tests.Checkups;

public sealed class UpstreamStateLeastConnTests
{
    private readonly FakeTimeProvider _time = new();

    private UpstreamState Upstream(params PeerConfig[] peers) => new(Config("up", peers) with { Mode = BalancingMode.LeastConn }, _time);

    [Fact]
    public void SelectPeer_OnePeerBusy_PicksAnIdleOne()
    {
        var upstream = Upstream(Peer("a"), Peer("b"), Peer("c"));

        upstream.Picks(3).ShouldBe("abc", "each pick loads the peer it chose");
        upstream.Feedback(upstream.Named("b"), failed: false);
        upstream.Picks(1).ShouldBe("b");
    }

    [Fact]
    public void SelectPeer_Weights_ShareInFlightInProportion()
    {
        var upstream = Upstream(Peer("a", weight: 1), Peer("b", weight: 3));

        var picks = upstream.Picks(8);

        picks.Count(c => c == 'a').ShouldBe(2);
        picks.Count(c => c == 'b').ShouldBe(6);
        upstream.Named("b").InFlight.ShouldBe(6);
    }

    [Fact]
    public void SelectPeer_IdleUpstream_RotatesInsteadOfAlwaysTheFirst()
    {
        var upstream = Upstream(Peer("a"), Peer("b"), Peer("c"));

        upstream.PicksWithFeedback(6).ShouldBe("abcabc");
    }

    [Fact]
    public void SelectPeer_TiesWithWeights_FollowSmoothRoundRobin()
    {
        var upstream = Upstream(Peer("a", weight: 5), Peer("b"), Peer("c"));

        upstream.PicksWithFeedback(7).ShouldBe("aabacaa");
    }

    [Fact]
    public void SelectPeer_LeastLoadedExcluded_PicksTheNextLeast()
    {
        var upstream = Upstream(Peer("a"), Peer("b"), Peer("c"));
        upstream.SelectPeer(); // a: 1
        upstream.SelectPeer(); // b: 1

        upstream.SelectPeer([upstream.Named("c")])!.Host.ShouldBeOneOf("a", "b");
        upstream.Named("c").InFlight.ShouldBe(0);
    }
}
