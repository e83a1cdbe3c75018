using System.Runtime.Loader;

namespace Slardar.Scriptable.Scripting.Loading;

/// <summary>
/// Watches unloaded generations through weak references, the early warning for anything that pins
/// a script (a cache holding a script type, a captured delegate, a logged exception): a generation
/// still alive well after its unload, and after a few garbage collections, is leaking.
/// <para>
/// It also gets them collected. An unloaded context is freed only by a full collection, and the
/// memory it holds (its loader heaps and JIT-compiled code) is native, invisible to the collector's
/// budgets: a gateway reloading scripts with a quiet heap would pile them up. So a while after an
/// unload (<see cref="CollectDelay"/>), while any generation is still alive, it asks for a background
/// full collection, and again while nothing is freed, each time waiting twice as long; it gives up
/// after <see cref="MaxFruitlessCollections"/> in a row freed nothing (what is left is pinned: the
/// gauge shows it).
/// </para>
/// <para>
/// Why the growing wait: freeing a context takes at least two full collections with the finalizer
/// thread's turn in between (the first makes its loader's scout finalizable, the finalizer releases
/// the native side, the second collects the context). On a busy process the background collection
/// and the finalizer queue can each take longer than one delay, and a fixed pace then spent every try
/// before the unload could finish, leaving it alive for good in a quiet gateway.
/// </para>
/// </summary>
internal sealed class ScriptGenerationTracker : IDisposable
{
    /// <summary>Default wait between an unload and the collection asked for it: reloads in a burst share one.</summary>
    public static readonly TimeSpan DefaultCollectDelay = TimeSpan.FromSeconds(2);

    /// <summary>Collections in a row that free nothing before the tracker stops asking (until the next unload): with the doubling wait, 63 delays.</summary>
    public const int MaxFruitlessCollections = 6;

    private readonly TimeProvider _time;
    private readonly Action _collect;
    private readonly Func<int> _fullCollections;
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private ITimer? _timer;
    private int _fruitless;
    private int _collectionsWhenAsked = -1;
    private long _unloaded;
    private long _inducedCollections;

    /// <param name="collect">How a full collection is asked for; tests count calls. Default: a forced, non-blocking gen2 collection.</param>
    /// <param name="fullCollections">Full collections run so far; given with <paramref name="collect"/>. Default: the runtime's gen2 count.</param>
    public ScriptGenerationTracker(TimeProvider? time = null, TimeSpan? collectDelay = null, Action? collect = null, Func<int>? fullCollections = null)
    {
        _time = time ?? TimeProvider.System;
        CollectDelay = collectDelay ?? DefaultCollectDelay;
        _collect = collect ?? (static () => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false));
        _fullCollections = fullCollections ?? (static () => GC.CollectionCount(GC.MaxGeneration));
    }

    public TimeSpan CollectDelay { get; }

    /// <summary>Generations unloaded since the tracker was created, collected or not.</summary>
    public long Unloaded => Interlocked.Read(ref _unloaded);

    /// <summary>Full collections the tracker asked for.</summary>
    public long InducedCollections => Interlocked.Read(ref _inducedCollections);

    /// <summary>Generations unloaded and not yet collected; collected ones are forgotten.</summary>
    public IReadOnlyList<UnloadedGeneration> Alive()
    {
        lock (_lock)
        {
            Prune();
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
            // A new unload starts over at the short delay; unloads in a burst still share one collection.
            if (_fruitless > 0)
            {
                _timer?.Change(CollectDelay, Timeout.InfiniteTimeSpan);
            }

            _fruitless = 0;
            _timer ??= _time.CreateTimer(static state => ((ScriptGenerationTracker)state!).OnCollectDue(), this, CollectDelay, Timeout.InfiniteTimeSpan);
        }

        Interlocked.Increment(ref _unloaded);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void OnCollectDue()
    {
        lock (_lock)
        {
            var before = _entries.Count;
            Prune();
            if (_entries.Count < before)
            {
                _fruitless = 0;
            }

            if (_entries.Count == 0 || _fruitless >= MaxFruitlessCollections)
            {
                _timer?.Dispose();
                _timer = null;
                return;
            }

            // No full collection ran since the last ask: that ask is not fruitless, it was dropped. A
            // background collection asked for while one is still running is not queued, it is ignored
            // (seen: the second ask of an unload landing in the first one's collection, after which no
            // full collection came in 20 s and the context stayed alive). So ask again, uncounted.
            var collections = _fullCollections();
            if (_collectionsWhenAsked < 0 || collections > _collectionsWhenAsked)
            {
                _fruitless++;
                _collectionsWhenAsked = collections;
            }

            _timer?.Change(WaitAfter(_fruitless), Timeout.InfiniteTimeSpan);
        }

        // Outside the lock: the collection runs in the background and the tracker stays responsive.
        Interlocked.Increment(ref _inducedCollections);
        _collect();
    }

    // The delay after the first collection asked, then twice as long after each one that freed nothing.
    private TimeSpan WaitAfter(int asked) => CollectDelay * (1L << Math.Clamp(asked - 1, 0, MaxFruitlessCollections));

    private void Prune() => _entries.RemoveAll(static entry => !entry.Context.IsAlive);

    private readonly record struct Entry(UnloadedGeneration Generation, WeakReference Context);
}
