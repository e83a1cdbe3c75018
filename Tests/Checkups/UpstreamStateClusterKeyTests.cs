using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Tests.Support;
using Xunit;
using static Slardar.Scriptable.Tests.Checkups.Upstreams;

namespace Slardar.Scriptable.Tests.Checkups;

/// <summary>Named levels and <c>cluster_key</c> selection (checkups' cluster_key.t).</summary>
public sealed class UpstreamStateClusterKeyTests
{
    private readonly FakeTimeProvider _time = new();

    private UpstreamState DataCentres() => new(
        NamedLevels("up", ("dc1", [Peer("a"), Peer("b")]), ("dc2", [Peer("c")]), ("dc3", [Peer("d")])),
        _time);

    private static string Pick(UpstreamState upstream, IReadOnlyList<PeerState>? exclude = null, params string[] keys) =>
        upstream.SelectPeer(new PeerSelection(exclude, ClusterKeys: keys))?.Host ?? "-";

    [Fact]
    public void SelectPeer_NamedLevelsWithoutKeys_UsesDeclarationOrder()
    {
        var upstream = DataCentres();

        upstream.Picks(4).ShouldBe("abab");
        upstream.SelectPeer([upstream.Named("a"), upstream.Named("b")])!.Host.ShouldBe("c");
    }

    [Fact]
    public void SelectPeer_ClusterKeys_UsesOnlyThoseLevelsInThatOrder()
    {
        var upstream = DataCentres();

        Pick(upstream, null, "dc3", "dc1").ShouldBe("d");
        Pick(upstream, [upstream.Named("d")], "dc3", "dc1").ShouldBe("a");
        Pick(upstream, [upstream.Named("d"), upstream.Named("a"), upstream.Named("b")], "dc3", "dc1").ShouldBe("-", "dc2 was not asked for");
    }

    [Fact]
    public void SelectPeer_UnknownClusterKey_IsSkipped()
    {
        var upstream = DataCentres();

        Pick(upstream, null, "nope", "dc2").ShouldBe("c");
        Pick(upstream, null, "nope").ShouldBe("-");
    }

    [Fact]
    public void SelectPeer_ClusterKey_MatchesNameInAnyCase()
    {
        Pick(DataCentres(), null, "DC2").ShouldBe("c");
    }

    [Fact]
    public void SelectPeer_EmptyClusterKeys_UsesNoLevel()
    {
        DataCentres().SelectPeer(new PeerSelection(ClusterKeys: [])).ShouldBeNull();
    }

    [Fact]
    public void SelectPeer_ArrayLevels_TakeOneBasedIndexKeys()
    {
        var upstream = new UpstreamState(Levels("up", [Peer("a")], [Peer("b")], [Peer("c")]), _time);

        Pick(upstream, null, "3", "1").ShouldBe("c");
        Pick(upstream, [upstream.Named("c")], "3", "1").ShouldBe("a");
        Pick(upstream, null, "0", "4", "dc1", "2").ShouldBe("b");
    }

    [Fact]
    public void SelectPeer_FirstKeyedLevelDown_FallsBackToTheNextKey()
    {
        // cluster_key.t "backup cluster": the second key is the backup of the first.
        var upstream = DataCentres();
        upstream.Fail("c");

        Pick(upstream, null, "dc2", "dc3").ShouldBe("d");
        _time.Advance(TimeSpan.FromSeconds(10));
        Pick(upstream, null, "dc2", "dc3").ShouldBe("c");
    }

    [Fact]
    public void PeerCount_ClusterKeys_CountsEachChosenLevelOnce()
    {
        var upstream = DataCentres();

        upstream.PeerCount().ShouldBe(4);
        upstream.PeerCount(["dc1", "dc3", "dc1", "x"]).ShouldBe(3);
        upstream.PeerCount([]).ShouldBe(0);
    }
}
