using System.Runtime.CompilerServices;
using Shouldly;
using Slardar.Scriptable.Scripting.Loading;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Loading;

/// <summary>The tracker's own collection on the real runtime, with no other test there to collect first.</summary>
[Collection(SerialCollection.Name)]
public sealed class ScriptGenerationTrackerCollectionTests
{
    [Fact]
    public void Retire_WithNobodyElseCollecting_TheTrackerGetsTheContextCollected()
    {
        // The real collection (a background gen2), on the real clock with a short delay: the test never calls GC itself.
        using var tracker = new ScriptGenerationTracker(TimeProvider.System, TimeSpan.FromMilliseconds(50));

        LoadRunRetire(tracker);

        // A bound, not an expectation: with its doubling wait the tracker asks six times within about 3 s (63 delays).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
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
}
