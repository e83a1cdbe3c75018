using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Tests.Support;
using Xunit;
using static Slardar.Scriptable.Tests.Checkups.Upstreams;

namespace Slardar.Scriptable.Tests.Checkups;

public sealed class UpstreamStatePassiveHealthTests
{
    private readonly FakeTimeProvider _time = new();

    private UpstreamState Upstream(params PeerConfig[] peers) => new(Config("up", peers), _time);

    private UpstreamState Upstream(params PeerConfig[][] levels) => new(Levels("up", levels), _time);

    private void Advance(double seconds) => _time.Advance(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void Feedback_MaxFailsWithinWindow_TakesPeerOutForFailTimeout()
    {
        var upstream = Upstream(Peer("a", maxFails: 3, failTimeoutSeconds: 10), Peer("b"));
        var a = upstream.Named("a");

        upstream.Fail("a");
        Advance(1);
        upstream.Fail("a");
        Advance(1);
        upstream.IsUsable(a).ShouldBeTrue("two failures are below max_fails");
        upstream.Fail("a");

        upstream.IsUsable(a).ShouldBeFalse();
        upstream.Picks(5).ShouldBe("bbbbb");
        Advance(9.999);
        upstream.IsUsable(a).ShouldBeFalse();
        Advance(0.001);
        upstream.IsUsable(a).ShouldBeTrue();
        upstream.Picks(10).ShouldContain('a');
    }

    [Fact]
    public void Feedback_AfterDownWindow_CountsAfresh()
    {
        var upstream = Upstream(Peer("a", maxFails: 2, failTimeoutSeconds: 10), Peer("b"));
        var a = upstream.Named("a");
        upstream.Fail("a", count: 2);
        Advance(10);

        upstream.Fail("a");

        a.Failures.ShouldBe(1);
        upstream.IsUsable(a).ShouldBeTrue();
        upstream.Fail("a");
        upstream.IsUsable(a).ShouldBeFalse();
    }

    [Fact]
    public void Feedback_EachFailureWithinFailTimeoutOfThePrevious_Accumulates()
    {
        // The window runs from the last failure (nginx), not from the first (checkups).
        var upstream = Upstream(Peer("a", maxFails: 3, failTimeoutSeconds: 10), Peer("b"));

        upstream.Fail("a");
        Advance(8);
        upstream.Fail("a");
        Advance(8);
        upstream.Fail("a");

        upstream.IsUsable(upstream.Named("a")).ShouldBeFalse();
    }

    [Fact]
    public void Feedback_DownWindow_RunsFromLastFailure()
    {
        var upstream = Upstream(Peer("a", maxFails: 2, failTimeoutSeconds: 10), Peer("b"));
        var a = upstream.Named("a");
        upstream.Fail("a");
        Advance(5);
        upstream.Fail("a");

        Advance(9.5);
        upstream.IsUsable(a).ShouldBeFalse("down until 10s after the failure that took it out");
        Advance(0.5);
        upstream.IsUsable(a).ShouldBeTrue();
    }

    [Fact]
    public void Feedback_FailuresFurtherApartThanFailTimeout_NeverTakePeerOut()
    {
        var upstream = Upstream(Peer("a", maxFails: 2, failTimeoutSeconds: 10), Peer("b"));
        var a = upstream.Named("a");

        for (var i = 0; i < 5; i++)
        {
            upstream.Fail("a");
            upstream.IsUsable(a).ShouldBeTrue();
            a.Failures.ShouldBe(1);
            Advance(10);
        }
    }

    [Fact]
    public void FailuresAt_AfterTheDownWindowOrAQuietWindow_IsZeroWithoutAnotherTry()
    {
        var upstream = Upstream(Peer("a", maxFails: 2, failTimeoutSeconds: 10), Peer("b", maxFails: 3, failTimeoutSeconds: 10), Peer("c"));
        var a = upstream.Named("a");
        var b = upstream.Named("b");
        upstream.Fail("a", count: 2);
        upstream.Fail("b");

        upstream.FailuresAt(a, _time.GetTimestamp()).ShouldBe(2);
        upstream.FailuresAt(b, _time.GetTimestamp()).ShouldBe(1);
        Advance(9.999);
        upstream.FailuresAt(a, _time.GetTimestamp()).ShouldBe(2);
        Advance(0.001);

        upstream.FailuresAt(a, _time.GetTimestamp()).ShouldBe(0, "the down window has ended");
        upstream.FailuresAt(b, _time.GetTimestamp()).ShouldBe(0, "a whole window without a failure");
    }

    [Fact]
    public void Feedback_Success_ClearsCount()
    {
        var upstream = Upstream(Peer("a", maxFails: 3), Peer("b"));
        var a = upstream.Named("a");
        upstream.Fail("a", count: 2);

        upstream.Feedback(a, failed: false);

        a.Failures.ShouldBe(0);
        upstream.Fail("a", count: 2);
        upstream.IsUsable(a).ShouldBeTrue();
        upstream.Fail("a");
        upstream.IsUsable(a).ShouldBeFalse();
    }

    [Fact]
    public void Feedback_SuccessWhileDown_DoesNotEndTheDownWindow()
    {
        var upstream = Upstream(Peer("a"), Peer("b"));
        var a = upstream.Named("a");
        upstream.Fail("a");

        upstream.Feedback(a, failed: false);

        upstream.IsUsable(a).ShouldBeFalse();
    }

    [Fact]
    public void Feedback_MaxFailsZero_NeverMarksDown()
    {
        var upstream = Upstream(Peer("a", weight: 4, maxFails: 0), Peer("b"));
        var a = upstream.Named("a");

        upstream.Fail("a", count: 100);

        upstream.IsUsable(a).ShouldBeTrue();
        a.Failures.ShouldBe(0);
        a.EffectiveWeight.ShouldBe(4);
    }

    [Fact]
    public void Feedback_LastUsablePeer_IsNeverTakenOut()
    {
        var upstream = Upstream(Peer("a"), Peer("b"));

        // Every pick fails, as with a dead backend behind both peers.
        for (var i = 0; i < 20; i++)
        {
            var peer = upstream.SelectPeer().ShouldNotBeNull();
            upstream.Feedback(peer, failed: true);
        }

        var usable = upstream.Levels[0].Where(upstream.IsUsable).ShouldHaveSingleItem();
        usable.Failures.ShouldBeGreaterThanOrEqualTo(1, "its count is kept");
        upstream.SelectPeer().ShouldBeSameAs(usable);
    }

    [Fact]
    public void Feedback_LastUsablePeerAcrossLevels_IsNeverTakenOut()
    {
        var upstream = Upstream([Peer("a")], [Peer("b")]);

        upstream.Fail("b");
        upstream.Fail("a", count: 5);

        upstream.IsUsable(upstream.Named("b")).ShouldBeFalse();
        upstream.IsUsable(upstream.Named("a")).ShouldBeTrue();
        upstream.SelectPeer().ShouldBeSameAs(upstream.Named("a"));
    }

    [Fact]
    public void Feedback_LastUsablePeer_CanGoDownOnceAnotherIsBack()
    {
        var upstream = Upstream(Peer("a", failTimeoutSeconds: 10), Peer("b", failTimeoutSeconds: 10));
        upstream.Fail("a");
        upstream.Fail("b");
        upstream.IsUsable(upstream.Named("b")).ShouldBeTrue();

        Advance(10);
        upstream.Fail("b");

        upstream.IsUsable(upstream.Named("a")).ShouldBeTrue();
        upstream.IsUsable(upstream.Named("b")).ShouldBeFalse();
    }

    [Fact]
    public void Feedback_SameHostInTwoLevels_SharesHealth()
    {
        var upstream = Upstream([Peer("a"), Peer("b")], [Peer("a")]);

        upstream.Fail("a");

        upstream.Levels[1][0].Failures.ShouldBe(1);
        upstream.IsUsable(upstream.Levels[1][0]).ShouldBeFalse();
    }
}
