using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Shouldly;
using Slardar.Scriptable.Scripting.Loading;
using Slardar.Scriptable.Tests.Scripting.Support;
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
        using var tracker = new ScriptGenerationTracker(time, Delay, () => collections++);
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
        var time = new ManualTimeProvider { FakeTimers = true };
        var collections = 0;
        using var tracker = new ScriptGenerationTracker(time, Delay, () => collections++);
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
    public void Retire_WithNobodyElseCollecting_TheTrackerGetsTheContextCollected()
    {
        // The real collection (a background gen2), on the real clock with a short delay: the test never calls GC itself.
        using var tracker = new ScriptGenerationTracker(TimeProvider.System, TimeSpan.FromMilliseconds(50));

        LoadRunRetire(tracker);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (tracker.CountAlive() > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        (tracker.Unloaded, tracker.CountAlive()).ShouldBe((1, 0));
        tracker.InducedCollections.ShouldBeGreaterThan(0);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LoadRunRetire(ScriptGenerationTracker tracker)
    {
        var generation = ScriptGeneration.Load(TestScripts.CompileOk("Vars[\"n\"] = 1;"), tracker: tracker);
        generation.RunAsync(TestScripts.Context()).AsTask().GetAwaiter().GetResult();
        generation.Retire();
    }

    private static AssemblyLoadContext UnloadedContext()
    {
        var context = new AssemblyLoadContext("tracker-test", isCollectible: true);
        context.Unload();
        return context;
    }
}
