using System.Runtime.Loader;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Scripting.Loading;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripting.Loading;

/// <summary>
/// Unloaded load contexts are freed only by a full collection, and nothing else in a quiet gateway
/// asks for one: the tracker does, a while after an unload, while anything unloaded is still alive.
/// </summary>
public sealed class ScriptGenerationTrackerTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    [Fact]
    public void Track_AnUnloadedContext_AsksForOneCollectionAfterTheDelay()
    {
        var time = new FakeTimeProvider();
        var collections = 0;
        using var tracker = new ScriptGenerationTracker(time, Delay, () => collections++, () => collections);
        var pinned = UnloadedContext();

        tracker.Track("a", pinned);
        tracker.Track("b", UnloadedContext());
        time.Advance(Delay - TimeSpan.FromMilliseconds(1));
        var before = collections;
        time.Advance(TimeSpan.FromMilliseconds(1));

        (before, collections).ShouldBe((0, 1));
        GC.KeepAlive(pinned);
    }

    [Fact]
    public void Track_AContextThatStaysPinned_StopsAskingAfterThreeFruitlessCollections_UntilTheNextUnload()
    {
        var time = new FakeTimeProvider();
        var collections = 0;
        using var tracker = new ScriptGenerationTracker(time, Delay, () => collections++, () => collections);
        var pinned = UnloadedContext();

        tracker.Track("pinned", pinned);
        for (var i = 0; i < 10; i++)
        {
            time.Advance(Delay);
        }

        var givenUp = collections;
        tracker.Track("another", pinned);
        time.Advance(Delay);

        (givenUp, collections, tracker.CountAlive()).ShouldBe((3, 4, 2));
        GC.KeepAlive(pinned);
    }

    [Fact]
    public void Track_TheAskedCollectionHasNotRunYet_WaitsForItWithoutCountingItFruitless()
    {
        var time = new FakeTimeProvider();
        int asked = 0, ran = 0;
        using var tracker = new ScriptGenerationTracker(time, Delay, () => asked++, () => ran);
        var pinned = UnloadedContext();
        tracker.Track("pinned", pinned);

        for (var i = 0; i < 10; i++)
        {
            time.Advance(Delay);
        }

        var whilePending = asked;
        ran = 1; // the busy machine finally ran it
        time.Advance(Delay);

        (whilePending, asked).ShouldBe((1, 2));
        GC.KeepAlive(pinned);
    }

    private static AssemblyLoadContext UnloadedContext()
    {
        var context = new AssemblyLoadContext("tracker-test", isCollectible: true);
        context.Unload();
        return context;
    }
}
