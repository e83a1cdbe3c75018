namespace Slardar.Scriptable.Host.Services.Caching;

/// <summary>What one loader call ended with: a value, null (no data), or a failure (threw, timed out).</summary>
internal readonly record struct CacheLoadOutcome(object? Value, string? Error)
{
    public bool Failed => Error is not null;

    public static CacheLoadOutcome Fail(string error) => new(null, error);
}
