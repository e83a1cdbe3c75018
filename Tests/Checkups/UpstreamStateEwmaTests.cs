using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Tests.Support;
using Xunit;
using static Slardar.Scriptable.Tests.Checkups.Upstreams;

namespace Slardar.Scriptable.Tests.Checkups;

public sealed class UpstreamStateEwmaTests
{
    private static readonly Dictionary<string, TimeSpan> Latency = new()
    {
        ["a"] = TimeSpan.FromMilliseconds(10),
        ["b"] = TimeSpan.FromMilliseconds(100),
        ["c"] = TimeSpan.FromMilliseconds(50),
        ["d"] = TimeSpan.FromMilliseconds(10),
    };

    private readonly FakeTimeProvider _time = new();
    private readonly UpstreamRegistry _registry;

    public UpstreamStateEwmaTests()
    {
        _registry = new UpstreamRegistry(_time);
    }

    private static UpstreamConfig Ewma(params PeerConfig[] peers) => Config("up", peers) with { Mode = BalancingMode.Ewma };

    private UpstreamState Current => _registry.TryGet("up", out var upstream) ? upstream : throw new InvalidOperationException();

    /// <summary>Selects and answers with each peer's latency, <paramref name="count"/> times.</summary>
    private static string Serve(UpstreamState upstream, int count)
    {
        var picks = new System.Text.StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var peer = upstream.SelectPeer().ShouldNotBeNull();
            picks.Append(peer.Host);
            upstream.Feedback(peer, failed: false, status: 200, elapsed: Latency[peer.Host]);
        }

        return picks.ToString();
    }

    [Fact]
    public void SelectPeer_NoSamplesYet_TriesEveryPeer()
    {
        _registry.Set(Ewma(Peer("a"), Peer("b"), Peer("c")));

        Serve(Current, 3).Order().ShouldBe("abc");
    }

    [Fact]
    public void SelectPeer_AfterFeedback_PrefersTheFasterPeer()
    {
        _registry.Set(Ewma(Peer("a"), Peer("b"), Peer("c")));
        Serve(Current, 3);

        Serve(Current, 20).ShouldBe(new string('a', 20));
        Current.Named("a").EwmaMilliseconds.ShouldNotBeNull().ShouldBe(10, tolerance: 0.001);
        Current.Named("b").EwmaMilliseconds.ShouldNotBeNull().ShouldBe(100, tolerance: 0.001);
    }

    [Fact]
    public void SelectPeer_NewPeerAdded_IsTriedSoon()
    {
        _registry.Set(Ewma(Peer("a"), Peer("b")));
        Serve(Current, 10);

        _registry.Set(Ewma(Peer("a"), Peer("b"), Peer("d")));

        Serve(Current, 2).ShouldContain('d', "an unknown peer starts at the best known latency");
        Current.Named("a").EwmaMilliseconds.ShouldNotBeNull("latency survives the edit");
    }

    [Fact]
    public void SelectPeer_Concurrent_InFlightSpreadsLoadOverSlowerPeers()
    {
        _registry.Set(Ewma(Peer("a"), Peer("c")));
        Serve(Current, 2); // a: 10 ms, c: 50 ms

        // No answers come back: a's cost grows 10, 20, 30, 40, 50 ms × 1 ... until c's 50 ms ties.
        Current.Picks(6).ShouldBe("aaaaac");
    }

    [Fact]
    public void SelectPeer_SlowPeerUnusedForLong_GetsAnotherChance()
    {
        // b's 100 ms decays towards zero while a keeps answering in 10 ms: after about
        // 10 s × ln(10) = 23 s, b looks faster than a and is tried again.
        _registry.Set(Ewma(Peer("a"), Peer("b")));
        Serve(Current, 2);
        var picks = string.Empty;
        for (var second = 0; second < 30; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            picks += Serve(Current, 1);
        }

        picks.ShouldStartWith(new string('a', 20));
        picks.ShouldContain('b');
    }

    [Fact]
    public void Feedback_FastFailure_DoesNotLowerLatency()
    {
        _registry.Set(Ewma(Peer("a"), Peer("b")));
        var b = Current.Named("b");
        Current.Feedback(b, failed: false, status: 200, elapsed: TimeSpan.FromMilliseconds(100));

        Current.Feedback(b, failed: true, status: 0, elapsed: TimeSpan.FromMilliseconds(1));

        b.EwmaMilliseconds.ShouldNotBeNull().ShouldBe(100, tolerance: 0.001);
    }

    [Fact]
    public void Feedback_SlowerSample_RaisesLatencyAtOnce()
    {
        _registry.Set(Ewma(Peer("a")));
        var a = Current.Named("a");
        Current.Feedback(a, failed: false, elapsed: TimeSpan.FromMilliseconds(10));

        Current.Feedback(a, failed: false, elapsed: TimeSpan.FromMilliseconds(300));

        a.EwmaMilliseconds.ShouldNotBeNull().ShouldBe(300, tolerance: 0.001, "peak-sensitive");
        _time.Advance(TimeSpan.FromSeconds(10));
        Current.Feedback(a, failed: false, elapsed: TimeSpan.FromMilliseconds(10));
        a.EwmaMilliseconds.ShouldNotBeNull().ShouldBe(10 + (290 * Math.Exp(-1)), tolerance: 0.001, "faster samples pull it down with the 10 s decay");
    }
}
