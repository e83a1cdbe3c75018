using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Outliers;
using Slardar.Scriptable.Tests.Support;
using Xunit;
using static Slardar.Scriptable.Tests.Checkups.Upstreams;

namespace Slardar.Scriptable.Tests.Checkups;

/// <summary>Outlier ejection: the rules documented on <see cref="OutlierDetector"/> and in docs/checkups-ejection.md.</summary>
public sealed class OutlierDetectionTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly UpstreamRegistry _registry;

    public OutlierDetectionTests()
    {
        _registry = new UpstreamRegistry(_time);
    }

    private UpstreamState Current => _registry.TryGet("up", out var upstream) ? upstream : throw new InvalidOperationException();

    // max_fails 0: passive health stays out of these tests unless one asks for it.
    private static PeerConfig[] Peers(string hosts) => [.. hosts.Select(h => Peer(h.ToString(), maxFails: 0))];

    private void Set(string hosts, OutlierOptions? outlier = null) =>
        _registry.Set(Config("up", Peers(hosts)) with { Outlier = outlier ?? OutlierOptions.Default });

    private void Advance(double seconds) => _time.Advance(TimeSpan.FromSeconds(seconds));

    /// <summary>Alternating 500 and 200 (no run of two), <paramref name="errors"/> of <paramref name="total"/>.</summary>
    private void Mixed(string host, int errors, int total)
    {
        for (var i = 0; i < total; i++)
        {
            Current.Answer(host, i < errors * 2 && i % 2 == 0 ? 500 : 200);
        }
    }

    private string Ejected() => string.Concat(Current.DistinctPeers.Where(Current.IsEjected).Select(p => p.Host));

    [Fact]
    public void Evaluate_ThreePeersOneAtHalfErrors_EjectsIt()
    {
        Set("abc");
        Mixed("a", 0, 20);
        Mixed("b", 0, 20);
        Mixed("c", 10, 20);

        var ejection = _registry.EvaluateOutliers().ShouldHaveSingleItem();

        ejection.Upstream.ShouldBe("up");
        ejection.Peer.Host.ShouldBe("c");
        ejection.Reason.ShouldBe(OutlierEjectionReason.ErrorRate);
        ejection.ErrorRate.ShouldBe(0.5);
        ejection.Requests.ShouldBe(20);
        ejection.EjectionCount.ShouldBe(1);
        ejection.Duration.ShouldBe(TimeSpan.FromSeconds(30));
        Current.PicksWithFeedback(10).ShouldNotContain('c');
        var c = Current.Named("c");
        c.EjectedUntil.ShouldBe(_time.GetTimestamp() + TimeSpan.FromSeconds(30).Ticks);
        c.EjectionCount.ShouldBe(1);
    }

    [Fact]
    public void Evaluate_PeerBelowTheMean_IsNeverEjected()
    {
        // e's 0% is 3 deviations away from the others' 50%, but below: low error rates never eject.
        Set("abcde");
        foreach (var host in "abcd")
        {
            Mixed(host.ToString(), 10, 20);
        }

        Mixed("e", 0, 20);

        _registry.EvaluateOutliers().ShouldBeEmpty();
    }

    [Fact]
    public void Evaluate_SmallGapAboveTheOthers_IsNotEjected()
    {
        // The others at 0% have no spread; the σ floor of 5 points asks for a gap over 15 points.
        Set("abc");
        Mixed("a", 0, 20);
        Mixed("b", 0, 20);
        Mixed("c", 2, 20);

        _registry.EvaluateOutliers().ShouldBeEmpty();
        Current.Named("c").ErrorRate.ShouldBe(0.1);
        Current.Named("c").WindowRequests.ShouldBe(20);
        Mixed("c", 10, 20);
        _registry.EvaluateOutliers().ShouldHaveSingleItem("12 errors in 40 requests: 30%").Peer.Host.ShouldBe("c");
    }

    [Fact]
    public void Evaluate_RateRule_NeedsThreePeersWithMinRequests()
    {
        Set("abc");
        Mixed("a", 0, 20);
        Mixed("b", 0, 19);
        Mixed("c", 10, 20);

        _registry.EvaluateOutliers().ShouldBeEmpty("b has fewer than min_requests, so only two peers are eligible");
        Mixed("b", 0, 1);
        _registry.EvaluateOutliers().ShouldHaveSingleItem().Peer.Host.ShouldBe("c");
    }

    [Fact]
    public void Evaluate_OldRequestsLeaveTheWindow()
    {
        Set("abc");
        Mixed("a", 0, 20);
        Mixed("b", 0, 20);
        Mixed("c", 10, 20);
        Advance(30);

        _registry.EvaluateOutliers().ShouldBeEmpty();
        Current.Named("c").WindowRequests.ShouldBe(0);
    }

    [Fact]
    public void Evaluate_Consecutive5xx_EjectsEvenIfASuccessFollowed()
    {
        Set("abc");
        Current.Answer("a", 500, count: 5);
        Current.Answer("a", 200);
        Current.Answer("b", 500, count: 4);
        Current.Answer("b", 200);
        Current.Answer("b", 500);

        var ejection = _registry.EvaluateOutliers().ShouldHaveSingleItem();

        ejection.Peer.Host.ShouldBe("a");
        ejection.Reason.ShouldBe(OutlierEjectionReason.Consecutive5xx);
    }

    [Fact]
    public void Evaluate_ErrorsAre5xxOrNoAnswer()
    {
        Set("abc");
        var a = Current.Named("a");
        var b = Current.Named("b");
        for (var i = 0; i < 5; i++)
        {
            Current.Feedback(a, failed: true, status: 404);
            Current.Feedback(b, failed: true, status: 0);
        }

        _registry.EvaluateOutliers().ShouldHaveSingleItem().Peer.Host.ShouldBe("b");
    }

    [Fact]
    public void Evaluate_OnePeer_IsNeverEjected()
    {
        Set("a");
        Current.Answer("a", 500, count: 50);

        _registry.EvaluateOutliers().ShouldBeEmpty();
        Current.SelectPeer().ShouldNotBeNull();
    }

    [Fact]
    public void Evaluate_TwoPeersBothFailing_EjectsAtMostOne()
    {
        Set("ab");
        Current.Answer("a", 500, count: 5);
        Current.Answer("b", 500, count: 6);

        _registry.EvaluateOutliers().ShouldHaveSingleItem();
        Current.Answer("a", 500, count: 5);
        Current.Answer("b", 500, count: 5);
        _registry.EvaluateOutliers().ShouldBeEmpty();

        Ejected().Length.ShouldBe(1);
        Current.SelectPeer().ShouldNotBeNull();
    }

    [Fact]
    public void Evaluate_TenPeersSixBad_EjectsFiveAndNeverMore()
    {
        Set("abcdefghij");
        foreach (var host in "abcdef")
        {
            Current.Answer(host.ToString(), 500, count: 5);
        }

        _registry.EvaluateOutliers().Count.ShouldBe(5);
        foreach (var host in "abcdef")
        {
            Current.Answer(host.ToString(), 500, count: 5);
        }

        _registry.EvaluateOutliers().ShouldBeEmpty();
        Ejected().ShouldBe("abcde", "equal rates: level order decides");
    }

    [Theory]
    [InlineData(1, 50, 0)]
    [InlineData(2, 50, 1)]
    [InlineData(3, 50, 1)]
    [InlineData(3, 67, 2)]
    [InlineData(3, 100, 2)]
    [InlineData(10, 50, 5)]
    [InlineData(10, 10, 1)]
    [InlineData(9, 10, 0)]
    [InlineData(4, 0, 0)]
    public void MaxEjected_RoundsDownAndKeepsOnePeer(int peers, int percent, int expected)
    {
        OutlierDetector.MaxEjected(peers, percent).ShouldBe(expected);
    }

    [Fact]
    public void Evaluate_RepeatedEjections_LastLongerUpToTheMaximumAndAlwaysEnd()
    {
        Set("abc", new OutlierOptions { BaseEjectionTime = TimeSpan.FromSeconds(10), MaxEjectionTime = TimeSpan.FromSeconds(25) });
        var durations = new List<double>();
        for (var round = 0; round < 4; round++)
        {
            Current.Answer("c", 500, count: 5);
            var ejection = _registry.EvaluateOutliers().ShouldHaveSingleItem();
            durations.Add(ejection.Duration.TotalSeconds);

            Advance(ejection.Duration.TotalSeconds - 0.001);
            Ejected().ShouldBe("c");
            Advance(0.001);
            Ejected().ShouldBeEmpty("an ejection always ends");
            Current.PicksWithFeedback(3).ShouldContain('c');
        }

        durations.ShouldBe([10, 20, 25, 25]);
        Current.Named("c").EjectionCount.ShouldBe(3, "the multiplier stops where the maximum is reached");
    }

    [Fact]
    public void Evaluate_HealthyForAWhile_MultiplierDecays()
    {
        Set("abc", new OutlierOptions { BaseEjectionTime = TimeSpan.FromSeconds(10), MaxEjectionTime = TimeSpan.FromSeconds(100) });
        Current.Answer("c", 500, count: 5);
        _registry.EvaluateOutliers();
        Advance(10);
        Current.Answer("c", 500, count: 5);
        _registry.EvaluateOutliers().ShouldHaveSingleItem().Duration.ShouldBe(TimeSpan.FromSeconds(20));

        Advance(20 + 15);
        _registry.EvaluateOutliers().ShouldBeEmpty();
        Current.Named("c").EjectionCount.ShouldBe(1, "15 s back in service: one base time");
        Advance(5);
        _registry.EvaluateOutliers();
        Current.Named("c").EjectionCount.ShouldBe(0);
        Current.Answer("c", 500, count: 5);
        _registry.EvaluateOutliers().ShouldHaveSingleItem().Duration.ShouldBe(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Evaluate_EjectedPeer_StartsAfreshWhenBack()
    {
        Set("abc");
        var c = Current.Named("c");
        Current.Answer("c", 500, count: 5);
        _registry.EvaluateOutliers();

        Current.Answer("c", 500, count: 5); // late answers while ejected are not counted
        Advance(30);

        _registry.EvaluateOutliers().ShouldBeEmpty();
        c.Outlier.Consecutive5xx.ShouldBe(0);
    }

    [Fact]
    public void SelectPeer_FewUsablePeersLeft_PanicIgnoresEjections()
    {
        _registry.Set(Config("up", Peer("a", maxFails: 1), Peer("b", maxFails: 0), Peer("c", maxFails: 0), Peer("d", maxFails: 0)));
        Current.Answer("c", 500, count: 5);
        Current.Answer("d", 500, count: 5);
        _registry.EvaluateOutliers().Count.ShouldBe(2);

        var picks = Current.PicksWithFeedback(8);
        picks.ShouldNotContain('c', "2 of 4 usable is not below 50%");
        picks.ShouldNotContain('d');

        Current.Fail("a");
        picks = Current.PicksWithFeedback(9);
        picks.ShouldNotContain('a', "passive-down peers stay out in panic");
        picks.ShouldContain('b');
        picks.ShouldContain('c', "1 of 4 usable is below 50%: ejections are ignored");
        picks.ShouldContain('d');
    }

    [Fact]
    public void SelectPeer_PanicThresholdZero_NeverPanics()
    {
        _registry.Set(Config("up", Peer("a", maxFails: 1), Peer("b", maxFails: 0), Peer("c", maxFails: 0), Peer("d", maxFails: 0))
            with { Outlier = new OutlierOptions { PanicThreshold = 0 } });
        Current.Answer("c", 500, count: 5);
        Current.Answer("d", 500, count: 5);
        _registry.EvaluateOutliers();

        Current.Fail("a");

        Current.PicksWithFeedback(6).ShouldBe("bbbbbb");
    }

    [Fact]
    public void Evaluate_DisabledByConfig_NeverEjects()
    {
        Set("abc", OutlierOptions.Default with { Enabled = false });
        Current.Answer("c", 500, count: 20);

        _registry.EvaluateOutliers().ShouldBeEmpty();
        Current.PicksWithFeedback(3).ShouldContain('c');
    }

    [Fact]
    public void Set_DetectionSwitchedOff_LetsEjectedPeersBack()
    {
        Set("abc");
        Current.Answer("c", 500, count: 5);
        _registry.EvaluateOutliers().ShouldHaveSingleItem();

        Set("abc", OutlierOptions.Default with { Enabled = false });

        Current.IsEjected(Current.Named("c")).ShouldBeFalse();
        Current.PicksWithFeedback(3).ShouldContain('c');
    }

    [Fact]
    public void Set_OtherEdit_KeepsTheEjection()
    {
        Set("abc");
        Current.Answer("c", 500, count: 5);
        _registry.EvaluateOutliers();

        _registry.Set(Config("up", [.. Peers("abc"), Peer("d")]) with { Mode = Host.Checkups.Balancing.BalancingMode.LeastConn });

        Current.PicksWithFeedback(8).ShouldNotContain('c');
    }

    [Fact]
    public void EvaluateOutliers_SeveralUpstreams_ReportsEach()
    {
        _registry.Set(Config("up", Peers("abc")));
        _registry.Set(Config("other", Peers("xyz")));
        Current.Answer("a", 500, count: 5);
        _registry.TryGet("other", out var other);
        other!.Answer("z", 500, count: 5);

        _registry.EvaluateOutliers().Select(e => $"{e.Upstream}/{e.Peer.Host}").Order().ShouldBe(["other/z", "up/a"]);
    }

    [Fact]
    public void IsRateOutlier_LeavesThePeerOutOfItsBaseline()
    {
        // Over all three rates (0, 0, 0.5) the gap is only √2 σ; against the other two it is clear.
        OutlierDetector.IsRateOutlier(0.5, 0.5, 0.25, 3, factor: 3).ShouldBeTrue();
        OutlierDetector.IsRateOutlier(0, 0.5, 0.25, 3, factor: 3).ShouldBeFalse();
    }
}
