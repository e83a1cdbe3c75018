namespace Slardar.Scriptable.Scripting.Api;

/// <summary>The answer of a rate limit for one request.</summary>
/// <param name="Allowed">Whether the request is within the limit (and was counted).</param>
/// <param name="RetryAfter">When refused: how long until one more request would pass; zero when allowed.</param>
/// <param name="Remaining">Requests that would still pass right now (the burst left).</param>
public readonly record struct LimitDecision(bool Allowed, TimeSpan RetryAfter, long Remaining);
