namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// A Redis connection as scripts use it: strings, hashes, sets, counters, expiry and publish. No
/// blocking commands, no KEYS, no FLUSH. Every call is bounded by the connection's timeout and the
/// caller's budget, and fails fast with <see cref="ScriptRedisException"/> while Redis is down (the
/// connection recovers by itself). <c>Redis</c> is the connection <c>Default</c>; <c>Redis["name"]</c>
/// another one configured under <c>Redis:&lt;name&gt;</c>.
/// </summary>
public interface IScriptRedis
{
    /// <summary>The connection configured as <c>Redis:&lt;name&gt;</c>; an unknown name throws.</summary>
    IScriptRedis this[string name] { get; }

    Task<string?> StringGetAsync(string key);

    /// <summary>SET, with an expiry when given; false when <paramref name="whenNotExists"/> and the key exists.</summary>
    Task<bool> StringSetAsync(string key, string value, TimeSpan? expiry = null, bool whenNotExists = false);

    Task<long> StringIncrementAsync(string key, long by = 1);

    Task<long> StringDecrementAsync(string key, long by = 1);

    Task<bool> KeyDeleteAsync(string key);

    Task<bool> KeyExistsAsync(string key);

    /// <summary>EXPIRE (PERSIST when null).</summary>
    Task<bool> KeyExpireAsync(string key, TimeSpan? expiry);

    /// <summary>The key's time to live; null when it has none or does not exist.</summary>
    Task<TimeSpan?> KeyTimeToLiveAsync(string key);

    Task<string?> HashGetAsync(string key, string field);

    /// <summary>HSET; true when the field is new.</summary>
    Task<bool> HashSetAsync(string key, string field, string value);

    Task<bool> HashDeleteAsync(string key, string field);

    Task<long> HashIncrementAsync(string key, string field, long by = 1);

    /// <summary>Every field of a hash; refused (throws) past the connection's item limit.</summary>
    Task<IReadOnlyDictionary<string, string>> HashGetAllAsync(string key);

    Task<bool> SetAddAsync(string key, string member);

    Task<bool> SetRemoveAsync(string key, string member);

    Task<bool> SetContainsAsync(string key, string member);

    /// <summary>Every member of a set; refused (throws) past the connection's item limit.</summary>
    Task<IReadOnlyList<string>> SetMembersAsync(string key);

    /// <summary>PUBLISH; the number of subscribers that received it.</summary>
    Task<long> PublishAsync(string channel, string message);
}
