using System.Runtime.Loader;

namespace Slardar.Scriptable.Scripting.Loading;

/// <summary>
/// Watches unloaded generations through weak references, the early warning for anything that pins
/// a script (a cache holding a script type, a captured delegate, a logged exception): a generation
/// still alive well after its unload, and after a few garbage collections, is leaking.
/// </summary>
internal sealed class ScriptGenerationTracker
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private long _unloaded;

    public ScriptGenerationTracker(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Generations unloaded since the tracker was created, collected or not.</summary>
    public long Unloaded => Interlocked.Read(ref _unloaded);

    /// <summary>Generations unloaded and not yet collected; collected ones are forgotten.</summary>
    public IReadOnlyList<UnloadedGeneration> Alive()
    {
        lock (_lock)
        {
            _entries.RemoveAll(static entry => !entry.Context.IsAlive);
            return _entries.ConvertAll(static entry => entry.Generation);
        }
    }

    public int CountAlive() => Alive().Count;

    internal void Track(string name, AssemblyLoadContext context)
    {
        var entry = new Entry(new UnloadedGeneration(name, _time.GetUtcNow()), new WeakReference(context));
        lock (_lock)
        {
            _entries.Add(entry);
        }

        Interlocked.Increment(ref _unloaded);
    }

    private readonly record struct Entry(UnloadedGeneration Generation, WeakReference Context);
}
