using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Tests.Support;
using Xunit;
using static Slardar.Scriptable.Tests.Checkups.Upstreams;

namespace Slardar.Scriptable.Tests.Checkups;

/// <summary>Consistent hashing (hash, url_hash, ip_hash, header_hash; checkups' consistent.t, dyconfig_opts.t).</summary>
public sealed class UpstreamStateHashTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly UpstreamRegistry _registry;

    public UpstreamStateHashTests()
    {
        _registry = new UpstreamRegistry(_time);
    }

    public static TheoryData<string> HashModes => ["hash", "url_hash", "ip_hash", "header_hash"];

    private static IEnumerable<string> Keys(int count) =>
        Enumerable.Range(0, count).Select(i => "/object/" + i.ToString(CultureInfo.InvariantCulture));

    private UpstreamState Hashed(params PeerConfig[] peers) => Hashed(BalancingMode.Hash, peers);

    private UpstreamState Hashed(BalancingMode mode, params PeerConfig[] peers) => new(Config("up", peers) with { Mode = mode }, _time);

    private UpstreamState Current => _registry.TryGet("up", out var upstream) ? upstream : throw new InvalidOperationException();

    private static string Owner(UpstreamState upstream, string key, IReadOnlyList<PeerState>? exclude = null)
    {
        var peer = upstream.SelectPeer(new PeerSelection(exclude, key)).ShouldNotBeNull();
        upstream.Feedback(peer, failed: false);
        return peer.Host;
    }

    private static Dictionary<string, string> Owners(UpstreamState upstream, IEnumerable<string> keys) =>
        keys.ToDictionary(key => key, key => Owner(upstream, key));

    [Theory]
    [MemberData(nameof(HashModes))]
    public void SelectPeer_SameKey_SamePeer(string mode)
    {
        BalancingModes.TryParse(mode, out var parsed).ShouldBeTrue();
        var upstream = Hashed(parsed, Peer("a"), Peer("b"), Peer("c"), Peer("d"));

        foreach (var key in Keys(200))
        {
            var first = Owner(upstream, key);
            upstream.PicksWithFeedback(3, key).ShouldBe(new string(first[0], 3), key);
        }
    }

    [Fact]
    public void SelectPeer_SameConfigInAnotherGeneration_MapsKeysTheSame()
    {
        // The ring depends only on host:port and weight: every gateway instance and every reload agree.
        var first = Owners(Hashed(Peer("a"), Peer("b"), Peer("c")), Keys(500));
        var second = Owners(Hashed(Peer("a"), Peer("b"), Peer("c")), Keys(500));

        second.ShouldBe(first);
    }

    [Fact]
    public void SelectPeer_ManyKeys_SpreadInProportionToWeights()
    {
        // 160 points per unit of weight put each peer's share within about 1/sqrt(160 w) of its
        // weight (8% at w=1); 30,000 keys add under 1% of sampling noise. ±15% of the expected share
        // is about two of those deviations for the lightest peer, and this ring is fixed, so the
        // test is deterministic: it fails only if weights stop counting.
        var upstream = Hashed(Peer("a", weight: 1), Peer("b", weight: 2), Peer("c", weight: 3), Peer("d", weight: 4));
        const int Total = 30_000;

        var counts = Owners(upstream, Keys(Total)).Values.GroupBy(h => h).ToDictionary(g => g.Key, g => g.Count());

        foreach (var (host, weight) in new[] { ("a", 1), ("b", 2), ("c", 3), ("d", 4) })
        {
            var expected = Total * weight / 10.0;
            counts[host].ShouldBeInRange((int)(expected * 0.85), (int)(expected * 1.15), host);
        }
    }

    [Fact]
    public void Ring_PointsPerPeer_AreProportionalToWeight()
    {
        var ring = new ConsistentHashRing(Peers(Peer("a", weight: 1), Peer("b", weight: 3)));

        ring.PointsOf(0).ShouldBe(160);
        ring.PointsOf(1).ShouldBe(480);
        ring.PointCount.ShouldBe(640);
    }

    [Fact]
    public void Ring_HugeWeights_AreScaledDownKeepingProportions()
    {
        var ring = new ConsistentHashRing(Peers(Peer("a", weight: 10_000), Peer("b", weight: 30_000)));

        ring.PointCount.ShouldBeLessThanOrEqualTo(ConsistentHashRing.MaxPoints);
        ((double)ring.PointsOf(1) / ring.PointsOf(0)).ShouldBe(3, tolerance: 0.01);
    }

    [Fact]
    public void Ring_HashPastTheLastPoint_WrapsToTheFirst()
    {
        var ring = new ConsistentHashRing(Peers(Peer("a"), Peer("b"), Peer("c")));
        var all = new PeerFilter(null, _time.GetTimestamp(), honourEjections: true);

        // No point sits at 2^32-1, so that hash is past the last one and must land on the first,
        // which is also where hash 0 lands.
        ring.Select(uint.MaxValue, all).ShouldNotBeNull().ShouldBeSameAs(ring.Select(0, all));
    }

    [Fact]
    public void SelectPeer_OwnerDown_GoesToTheNextUsablePeerOnTheRingAndBack()
    {
        var upstream = Hashed(Peer("a"), Peer("b"), Peer("c"), Peer("d"));
        var before = Owners(upstream, Keys(400));

        upstream.Fail("b");
        var during = Owners(upstream, Keys(400));
        _time.Advance(TimeSpan.FromSeconds(10));
        var after = Owners(upstream, Keys(400));

        during.Values.ShouldNotContain("b");
        foreach (var (key, owner) in before)
        {
            if (owner != "b")
            {
                during[key].ShouldBe(owner, "only b's keys move");
            }
        }

        during.Where(kv => before[kv.Key] == "b").Select(kv => kv.Value).Distinct().Count().ShouldBeGreaterThan(1, "b's keys spread over its ring neighbours");
        after.ShouldBe(before);
    }

    [Fact]
    public void SelectPeer_OwnerExcluded_GoesWhereItGoesWhenTheOwnerIsDown()
    {
        // A retry after a failure and a later request after the peer was marked down agree.
        var upstream = Hashed(Peer("a"), Peer("b"), Peer("c"), Peer("d"));
        var b = upstream.Named("b");
        var excluded = Keys(300).Where(k => Owner(upstream, k) == "b").ToDictionary(k => k, k => Owner(upstream, k, [b]));

        upstream.Fail("b");

        excluded.ShouldNotBeEmpty();
        foreach (var (key, owner) in excluded)
        {
            Owner(upstream, key).ShouldBe(owner);
        }
    }

    [Fact]
    public void SelectPeer_EveryPeerOfLevelExcluded_UsesTheNextLevelsRing()
    {
        var upstream = new UpstreamState(Levels("up", [Peer("a"), Peer("b")], [Peer("c"), Peer("d")]) with { Mode = BalancingMode.UrlHash }, _time);

        var owner = Owner(upstream, "/x", [upstream.Named("a"), upstream.Named("b")]);

        owner.ShouldBeOneOf("c", "d");
        Owner(upstream, "/x", [upstream.Named("a"), upstream.Named("b"), upstream.Named(owner)]).ShouldNotBe(owner);
        upstream.SelectPeer(new PeerSelection([.. upstream.Levels.SelectMany(l => l)], "/x")).ShouldBeNull();
    }

    [Fact]
    public void Set_PeerRemoved_MovesOnlyItsKeys()
    {
        _registry.Set(Config("up", Peer("a"), Peer("b"), Peer("c"), Peer("d"), Peer("e")) with { Mode = BalancingMode.Hash });
        var before = Owners(Current, Keys(2_000));

        _registry.Set(Config("up", Peer("a"), Peer("b"), Peer("d"), Peer("e")) with { Mode = BalancingMode.Hash });
        var after = Owners(Current, Keys(2_000));

        var moved = before.Count(kv => after[kv.Key] != kv.Value);
        moved.ShouldBe(before.Count(kv => kv.Value == "c"), "exactly the keys c owned move");
        (moved / 2_000.0).ShouldBeInRange(0.1, 0.3, "about a fifth");
    }

    [Fact]
    public void Set_PeerAdded_TakesKeysOnlyForItself()
    {
        _registry.Set(Config("up", Peer("a"), Peer("b"), Peer("c")) with { Mode = BalancingMode.Hash });
        var before = Owners(Current, Keys(2_000));

        _registry.Set(Config("up", Peer("a"), Peer("b"), Peer("c"), Peer("d")) with { Mode = BalancingMode.Hash });
        var after = Owners(Current, Keys(2_000));

        after.Where(kv => before[kv.Key] != kv.Value).ShouldAllBe(kv => kv.Value == "d");
    }

    [Fact]
    public void Set_RoundRobinToHash_KeepsPassiveHealth()
    {
        // dyconfig_opts.t: switching the mode by an update is a config edit like any other.
        _registry.Set(Config("up", Peer("a", failTimeoutSeconds: 10), Peer("b"), Peer("c")));
        Current.Fail("a");

        _registry.Set(Config("up", Peer("a", failTimeoutSeconds: 10), Peer("b"), Peer("c")) with { Mode = BalancingMode.Hash });

        Current.Config.Mode.ShouldBe(BalancingMode.Hash);
        Current.IsUsable(Current.Named("a")).ShouldBeFalse();
        Owners(Current, Keys(300)).Values.ShouldNotContain("a");
        _time.Advance(TimeSpan.FromSeconds(10));
        Owners(Current, Keys(300)).Values.ShouldContain("a");
    }

    [Fact]
    public void SelectPeer_HashModeWithoutKey_UsesRoundRobin()
    {
        var upstream = Hashed(Peer("a"), Peer("b"), Peer("c"));

        upstream.PicksWithFeedback(6).ShouldBe("abcabc");
    }

    private static ImmutableArray<PeerState> Peers(params PeerConfig[] configs) =>
        [.. configs.Select(config => new PeerState(config, 0, new PeerHealth()))];
}
