namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// Named rate limits (scripts.json <c>"limits"</c>, or Consul <c>config/limit</c>), each a rate and
/// a burst as nginx's limit_req, counted in this gateway (<c>"scope": "local"</c>) or across every
/// gateway sharing a Redis (<c>"scope": "cluster"</c>).
/// </summary>
public interface IScriptLimit
{
    /// <summary>
    /// Counts one request of <paramref name="key"/> against the limit <paramref name="name"/>. A
    /// cluster limit waits for Redis (bounded by its timeout and the caller's budget): rewrite and
    /// auth scripts should prefer <see cref="TryAcquireAsync"/>. An unknown name throws.
    /// </summary>
    LimitDecision TryAcquire(string name, string key);

    /// <summary>As <see cref="TryAcquire"/>, without blocking the script's thread on Redis.</summary>
    ValueTask<LimitDecision> TryAcquireAsync(string name, string key);
}
