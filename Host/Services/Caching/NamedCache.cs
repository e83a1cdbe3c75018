using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Services.Caching;

/// <summary>
/// One named cache: shcache's load algorithm over lrucache's storage. Values are kept as objects
/// (no serialization) in a dictionary plus an LRU list under one lock (a hit is a lookup and a move
/// to the front); loads run outside the lock, one per key (<see cref="CacheLoad"/>). States: fresh
/// → Hit or HitNegative; else the caller that starts the load gets Miss, NoData, Stale or NetError
/// from its outcome, and callers that waited get Hit, HitNegative, Stale or NetError.
/// </summary>
internal sealed class NamedCache
{
    private readonly object _lock = new();
    private readonly Dictionary<string, CacheEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CacheLoad> _loads = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private CacheEntry? _newest;
    private CacheEntry? _oldest;
    private long _generation;
    private CacheOptions _options;

    public NamedCache(string name, CacheOptions options, TimeProvider time)
    {
        Name = name;
        _options = options;
        _time = time;
    }

    public string Name { get; }

    public CacheOptions Options => Volatile.Read(ref _options);

    public CacheCounters Counters { get; } = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Loads in flight (keys whose dog-pile lock is held).</summary>
    public int Loading
    {
        get
        {
            lock (_lock)
            {
                return _loads.Count;
            }
        }
    }

    /// <summary>New settings apply to later loads; a smaller size evicts at once.</summary>
    public void Reconfigure(CacheOptions options)
    {
        Volatile.Write(ref _options, options);
        lock (_lock)
        {
            TrimToSize(options.Size);
        }
    }

    /// <param name="callerRemaining">The caller's budget left (infinite without one): its wait never goes past it.</param>
    public ValueTask<CacheResult<T>> GetAsync<T>(string key, Func<Task<T?>> loader, TimeSpan callerRemaining)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(loader);
        if (key.Length > CacheOptions.MaxKeyLength)
        {
            throw new ArgumentException($"cache key of {key.Length} characters is longer than {CacheOptions.MaxKeyLength}", nameof(key));
        }

        var now = _time.GetTimestamp();
        T? stale = null;
        CacheLoad load;
        bool leader;
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                if (entry.Value is not null and not T)
                {
                    // Another script stored another type under this key: reload it as this caller's type.
                    Remove(entry);
                }
                else if (now < entry.FreshUntil)
                {
                    MoveToFront(entry);
                    var state = entry.IsNegative ? CacheState.HitNegative : entry.ServingStale ? CacheState.Stale : CacheState.Hit;
                    Counters.Count(state);
                    return ValueTask.FromResult(new CacheResult<T>(state, (T?)entry.Value));
                }
                else if (!entry.IsNegative && now < entry.StaleUntil)
                {
                    stale = (T)entry.Value!;
                }
                else
                {
                    Remove(entry);
                }
            }

            leader = !_loads.TryGetValue(key, out load!);
            if (leader)
            {
                load = new CacheLoad(_generation);
                _loads.Add(key, load);
            }
        }

        if (leader)
        {
            _ = RunLoadAsync(key, load, loader);
        }
        else
        {
            Counters.LockWait();
        }

        return AwaitLoadAsync(load, leader, stale, callerRemaining);
    }

    /// <summary>Forgets one key; true if it was cached.</summary>
    public bool Remove(string key)
    {
        lock (_lock)
        {
            if (_loads.Remove(key, out var load))
            {
                load.Discarded = true;
            }

            if (!_entries.TryGetValue(key, out var entry))
            {
                return false;
            }

            Remove(entry);
            return true;
        }
    }

    /// <summary>Forgets every key; loads in flight finish but their results are not kept.</summary>
    public int Clear()
    {
        lock (_lock)
        {
            _generation++;
            var count = _entries.Count;
            _entries.Clear();
            _newest = _oldest = null;
            return count;
        }
    }

    private async ValueTask<CacheResult<T>> AwaitLoadAsync<T>(CacheLoad load, bool leader, T? stale, TimeSpan callerRemaining)
        where T : class
    {
        var outcome = load.Completion.IsCompleted ? load.Completion.Result : await WaitAsync(load.Completion, callerRemaining);
        CacheState state;
        T? value = null;
        if (outcome.Failed)
        {
            (state, value) = stale is null ? (CacheState.NetError, null) : (CacheState.Stale, stale);
        }
        else if (outcome.Value is null)
        {
            state = leader ? CacheState.NoData : CacheState.HitNegative;
        }
        else if (outcome.Value is T typed)
        {
            (state, value) = (leader ? CacheState.Miss : CacheState.Hit, typed);
        }
        else
        {
            // A waiter asking for another type than the loader's: as a failed load, for this caller only.
            (state, value, outcome) = (stale is null ? CacheState.NetError : CacheState.Stale, stale, CacheLoadOutcome.Fail($"the loader returned {outcome.Value.GetType().Name}, not {typeof(T).Name}"));
        }

        Counters.Count(state);
        return new CacheResult<T>(state, value, outcome.Error);
    }

    private async Task<CacheLoadOutcome> WaitAsync(Task<CacheLoadOutcome> completion, TimeSpan callerRemaining)
    {
        // The load itself ends by its timeout; only a caller with less budget left needs its own bound.
        if (callerRemaining == Timeout.InfiniteTimeSpan || callerRemaining >= Options.LoadTimeout)
        {
            return await completion;
        }

        var limit = callerRemaining;
        try
        {
            return await completion.WaitAsync(limit, _time);
        }
        catch (TimeoutException)
        {
            return CacheLoadOutcome.Fail($"waited {limit.TotalMilliseconds:0} ms for the load");
        }
    }

    private async Task RunLoadAsync<T>(string key, CacheLoad load, Func<Task<T?>> loader)
        where T : class
    {
        var options = Options;
        CacheLoadOutcome outcome;
        Task<T?>? pending = null;
        try
        {
            pending = loader() ?? throw new InvalidOperationException("the loader returned no task");
            var value = await pending.WaitAsync(options.LoadTimeout, _time);
            outcome = new CacheLoadOutcome(value, null);
        }
        catch (TimeoutException) when (pending is { IsCompleted: false })
        {
            outcome = CacheLoadOutcome.Fail($"the loader timed out after {options.LoadTimeout.TotalMilliseconds:0} ms");

            // The loader goes on by itself (its own calls are bounded); its end is observed, never kept.
            _ = pending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        catch (Exception ex)
        {
            outcome = CacheLoadOutcome.Fail($"the loader threw {ex.GetType().Name}: {ex.Message}");
        }

        Store(key, load, outcome, options);
        load.Complete(outcome);
    }

    private void Store(string key, CacheLoad load, CacheLoadOutcome outcome, CacheOptions options)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (_loads.TryGetValue(key, out var current) && current == load)
            {
                _loads.Remove(key);
            }

            if (load.Discarded || load.Generation != _generation)
            {
                return;
            }

            if (outcome.Failed)
            {
                // Nothing new is cached for a failure; a stale value is re-armed so the outage costs one reload per interval.
                if (_entries.TryGetValue(key, out var existing) && !existing.IsNegative && now < existing.StaleUntil)
                {
                    existing.FreshUntil = Math.Min(existing.StaleUntil, Add(now, CacheOptions.StaleRetryInterval));
                    existing.ServingStale = true;
                }

                return;
            }

            if (TooLarge(outcome.Value))
            {
                Counters.ValueTooLarge();
                return;
            }

            if (_entries.Remove(key, out var old))
            {
                Unlink(old);
            }

            var entry = outcome.Value is null
                ? new CacheEntry(key, null, Add(now, options.NegativeTtl), 0)
                : new CacheEntry(key, outcome.Value, Add(now, options.Ttl), Add(Add(now, options.Ttl), options.StaleTtl));
            _entries.Add(key, entry);
            LinkFront(entry);
            TrimToSize(options.Size);
        }
    }

    private static bool TooLarge(object? value) => value switch
    {
        string s => (long)s.Length * sizeof(char) > CacheOptions.MaxValueBytes,
        byte[] b => b.Length > CacheOptions.MaxValueBytes,
        _ => false,
    };

    private long Add(long timestamp, TimeSpan span) =>
        timestamp + (long)Math.Min(span.TotalSeconds * _time.TimestampFrequency, long.MaxValue / 4);

    private void TrimToSize(int size)
    {
        while (_entries.Count > size && _oldest is { } oldest)
        {
            Remove(oldest);
            Counters.Evicted();
        }
    }

    private void Remove(CacheEntry entry)
    {
        _entries.Remove(entry.Key);
        Unlink(entry);
    }

    private void MoveToFront(CacheEntry entry)
    {
        if (_newest == entry)
        {
            return;
        }

        Unlink(entry);
        LinkFront(entry);
    }

    private void LinkFront(CacheEntry entry)
    {
        entry.Older = _newest;
        entry.Newer = null;
        if (_newest is not null)
        {
            _newest.Newer = entry;
        }

        _newest = entry;
        _oldest ??= entry;
    }

    private void Unlink(CacheEntry entry)
    {
        if (entry.Newer is not null)
        {
            entry.Newer.Older = entry.Older;
        }
        else if (_newest == entry)
        {
            _newest = entry.Older;
        }

        if (entry.Older is not null)
        {
            entry.Older.Newer = entry.Newer;
        }
        else if (_oldest == entry)
        {
            _oldest = entry.Newer;
        }

        entry.Newer = entry.Older = null;
    }
}
