using System.Text.Json;

namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// Dynamic configuration for scripts (Slardar's <c>slardar.&lt;key&gt;</c>): JSON values the gateway
/// keeps in Consul under <c>config/&lt;key&gt;</c>, cached with a time to live. Null means the key
/// does not exist, or is not known yet, or Consul is not configured.
/// </summary>
public interface IScriptConfig
{
    /// <summary>
    /// The cached value of <paramref name="key"/>, without ever waiting: usable in every phase,
    /// balancer scripts included. When the key is not cached yet this is null and a fetch starts in
    /// the background, so a later request sees the value; when its time to live ran out, the old
    /// value is returned once more while a fresh one is fetched.
    /// </summary>
    JsonElement? this[string key] { get; }

    /// <summary>
    /// The value of <paramref name="key"/>: as the indexer, except that a key never seen before is
    /// fetched first instead of answering null. For rewrite and auth scripts, which may
    /// <c>await</c>; the wait is bounded by the script's budget. While Consul is unreachable, the
    /// last value known (stale).
    /// </summary>
    ValueTask<JsonElement?> GetAsync(string key);
}
