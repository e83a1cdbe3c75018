using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Tests.Support;
using Xunit;
using static Slardar.Scriptable.Tests.Checkups.Upstreams;

namespace Slardar.Scriptable.Tests.Checkups;

public sealed class UpstreamRegistryTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly UpstreamRegistry _registry;

    public UpstreamRegistryTests()
    {
        _registry = new UpstreamRegistry(_time);
    }

    private UpstreamState Get(string name) =>
        _registry.TryGet(name, out var upstream) ? upstream : throw new InvalidOperationException($"no upstream {name}");

    [Fact]
    public void TryGet_Unknown_ReturnsFalse()
    {
        _registry.TryGet("nope", out var upstream).ShouldBeFalse();
        upstream.ShouldBeNull();
    }

    [Fact]
    public void TryGet_NameInAnyCase_FindsUpstream()
    {
        _registry.Set(Config("Node-Dev.example.com", Peer("a")));

        Get("node-dev.EXAMPLE.com").Name.ShouldBe("Node-Dev.example.com");
    }

    [Fact]
    public void Set_SameNameInOtherCase_ReplacesAndTakesNewName()
    {
        _registry.Set(Config("Up", Peer("a")));

        _registry.Set(Config("up", Peer("b")));

        _registry.All.ShouldHaveSingleItem().Name.ShouldBe("up");
        Get("UP").Levels[0][0].Host.ShouldBe("b");
    }

    [Fact]
    public void Set_Replace_SurvivingPeerKeepsDownState()
    {
        _registry.Set(Config("up", Peer("a", maxFails: 2), Peer("b"), Peer("c")));
        var before = Get("up");
        before.Fail("a", count: 2);

        _registry.Set(Config("up", Peer("a", weight: 3, maxFails: 2), Peer("b")));

        var after = Get("up");
        after.ShouldNotBeSameAs(before);
        var a = after.Named("a");
        a.Config.Weight.ShouldBe(3);
        a.Failures.ShouldBe(2);
        after.IsUsable(a).ShouldBeFalse();
        after.Picks(3).ShouldBe("bbb");
        _time.Advance(TimeSpan.FromSeconds(10));
        after.IsUsable(a).ShouldBeTrue();
    }

    [Fact]
    public void Set_Replace_SurvivingPeerKeepsFailureCount()
    {
        _registry.Set(Config("up", Peer("a", maxFails: 3), Peer("b")));
        Get("up").Fail("a", count: 2);

        _registry.Set(Config("up", Peer("b"), Peer("A", maxFails: 3)));
        Get("up").Fail("a");

        Get("up").IsUsable(Get("up").Named("a")).ShouldBeFalse("2 failures before the edit + 1 after reach max_fails");
    }

    [Fact]
    public void Set_RemovedPeer_IsDroppedAndComesBackFresh()
    {
        _registry.Set(Config("up", Peer("a"), Peer("b"), Peer("c")));
        Get("up").Fail("c");

        _registry.Set(Config("up", Peer("a"), Peer("b")));
        Get("up").FindPeer("c", 80).ShouldBeNull();
        _registry.Set(Config("up", Peer("a"), Peer("b"), Peer("c")));

        var c = Get("up").Named("c");
        c.Failures.ShouldBe(0);
        Get("up").IsUsable(c).ShouldBeTrue();
    }

    [Fact]
    public void Set_OnlyDownPeersRemain_TheyAreRevived()
    {
        _registry.Set(Config("up", Peer("a"), Peer("b")));
        Get("up").Fail("a");

        _registry.Set(Config("up", Peer("a")));

        Get("up").SelectPeer().ShouldNotBeNull().Host.ShouldBe("a");
    }

    [Fact]
    public void Feedback_OnPreviousGeneration_ReachesTheCurrentOne()
    {
        // A request that started before an edit reports its outcome on the generation it holds.
        _registry.Set(Config("up", Peer("a"), Peer("b")));
        var old = Get("up");
        var oldA = old.Named("a");
        _registry.Set(Config("up", Peer("a"), Peer("b"), Peer("c")));

        old.Feedback(oldA, failed: true);

        Get("up").IsUsable(Get("up").Named("a")).ShouldBeFalse();
    }

    [Fact]
    public void SelectPeer_PeerTriedBeforeAnEdit_IsStillExcluded()
    {
        _registry.Set(Config("up", Peer("a"), Peer("b")));
        var tried = Get("up").Named("a");
        _registry.Set(Config("up", Peer("a", weight: 10), Peer("b")));

        Get("up").Picks(3, [tried]).ShouldBe("bbb");
    }

    [Fact]
    public void Remove_Existing_RemovesIt()
    {
        _registry.Set(Config("up", Peer("a")));

        _registry.Remove("UP").ShouldBeTrue();

        _registry.TryGet("up", out _).ShouldBeFalse();
        _registry.All.ShouldBeEmpty();
    }

    [Fact]
    public void Remove_Unknown_ReturnsFalse()
    {
        _registry.Remove("up").ShouldBeFalse();
    }

    [Fact]
    public void All_ListsEveryUpstream()
    {
        _registry.SetRange([Config("x", Peer("a")), Config("y", Peer("b"))]);
        _registry.Set(Config("z", Peer("c")));

        _registry.All.Select(u => u.Name).Order().ShouldBe(["x", "y", "z"]);
    }

    [Fact]
    public void All_IsASnapshot()
    {
        _registry.Set(Config("x", Peer("a")));
        var snapshot = _registry.All;

        _registry.Set(Config("y", Peer("b")));

        snapshot.Count.ShouldBe(1);
        _registry.All.Count.ShouldBe(2);
    }

    [Fact]
    public void Set_InvalidName_ThrowsAndChangesNothing()
    {
        _registry.Set(Config("x", Peer("a")));

        Should.Throw<ArgumentException>(() => _registry.SetRange([Config("y", Peer("b")), Config("bad name", Peer("c"))]));

        _registry.All.ShouldHaveSingleItem().Name.ShouldBe("x");
    }
}
