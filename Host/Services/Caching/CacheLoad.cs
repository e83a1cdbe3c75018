namespace Slardar.Scriptable.Host.Services.Caching;

/// <summary>
/// A load in flight for one key: the dog-pile lock. The first caller runs the loader; the others
/// await <see cref="Completion"/> (no polling), each bounded by its own deadline.
/// </summary>
internal sealed class CacheLoad
{
    private readonly TaskCompletionSource<CacheLoadOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CacheLoad(long generation)
    {
        Generation = generation;
    }

    /// <summary>The cache's purge generation when the load began: a purge in between discards its result.</summary>
    public long Generation { get; }

    /// <summary>Its key was purged while it ran (set under the cache's lock): its result is not kept.</summary>
    public bool Discarded { get; set; }

    public Task<CacheLoadOutcome> Completion => _completion.Task;

    public void Complete(CacheLoadOutcome outcome) => _completion.TrySetResult(outcome);
}
