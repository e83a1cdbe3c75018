using System.Runtime.Loader;
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
        var time = new ManualTimeProvider { FakeTimers = true };
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
    public void Track_AContextThatStaysPinned_AsksAgainTwiceAsLateEachTime_StopsAfterTheMaxUntilTheNextUnload()
    {
        var time = new ManualTimeProvider { FakeTimers = true };
        var collections = 0;
        var askedAt = new List<TimeSpan>();
        var start = time.GetTimestamp();
        using var tracker = new ScriptGenerationTracker(time, Delay, () => { collections++; askedAt.Add(time.GetElapsedTime(start)); }, () => collections);
        var pinned = UnloadedContext();

        tracker.Track("pinned", pinned);
        for (var i = 0; i < 200; i++)
        {
            time.Advance(Delay);
        }

        var givenUp = collections;
        tracker.Track("another", pinned);
        time.Advance(Delay);

        (givenUp, collections, tracker.CountAlive()).ShouldBe((ScriptGenerationTracker.MaxFruitlessCollections, ScriptGenerationTracker.MaxFruitlessCollections + 1, 2));
        askedAt.Take(givenUp).ShouldBe([Delay, Delay * 2, Delay * 4, Delay * 8, Delay * 16, Delay * 32]);
        GC.KeepAlive(pinned);
    }

    [Fact]
    public void Track_AnotherUnloadDuringTheBackoff_AsksAgainAfterTheShortDelay()
    {
        var time = new ManualTimeProvider { FakeTimers = true };
        var collections = 0;
        using var tracker = new ScriptGenerationTracker(time, Delay, () => collections++, () => collections);
        var pinned = UnloadedContext();
        tracker.Track("pinned", pinned);
        time.Advance(Delay);
        time.Advance(Delay);

        tracker.Track("next", pinned);
        var before = collections;
        time.Advance(Delay);

        (before, collections).ShouldBe((2, 3));
        GC.KeepAlive(pinned);
    }

    [Fact]
    public void Track_AskedCollectionsThatNeverRun_AreAskedAgainAtTheSamePaceWithoutCountingThemFruitless()
    {
        // A background collection asked for while one runs is dropped, not queued: waiting for it would wait forever.
        var time = new ManualTimeProvider { FakeTimers = true };
        int asked = 0, ran = 0;
        using var tracker = new ScriptGenerationTracker(time, Delay, () => asked++, () => ran);
        var pinned = UnloadedContext();
        tracker.Track("pinned", pinned);

        for (var i = 0; i < 10; i++)
        {
            time.Advance(Delay);
        }

        var whileDropped = asked;
        ran = 1; // one finally ran: that ask counts, the next waits twice as long
        time.Advance(Delay);
        var afterItRan = asked;
        time.Advance(Delay);

        (whileDropped, afterItRan, asked).ShouldBe((10, 11, 11));
        GC.KeepAlive(pinned);
    }

    private static AssemblyLoadContext UnloadedContext()
    {
        var context = new AssemblyLoadContext("tracker-test", isCollectible: true);
        context.Unload();
        return context;
    }
}
