namespace Slardar.Scriptable.Scripting.Api;

/// <summary>The answer of <see cref="IScriptCache.GetAsync{T}"/>: its state and, for Hit, Miss and Stale, the value.</summary>
/// <param name="State">How the value was obtained.</param>
/// <param name="Value">The value; null for HitNegative, NoData and NetError.</param>
/// <param name="Error">Why the loader failed (Stale, NetError); null otherwise.</param>
public readonly record struct CacheResult<T>(CacheState State, T? Value, string? Error = null)
    where T : class
{
    /// <summary>True when <see cref="Value"/> holds a value (Hit, Miss, Stale).</summary>
    public bool HasValue => Value is not null;
}
