using System.Text;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;
using StackExchange.Redis;

namespace Slardar.Scriptable.Host.Services.Redis;

/// <summary>
/// <c>Redis</c> as one script invocation sees it: the bounded command set of <see cref="IScriptRedis"/>
/// on one named connection, each call bounded by the connection's timeout and the invocation's
/// budget, every failure a <see cref="ScriptRedisException"/> that names the connection and command.
/// </summary>
internal sealed class ScriptRedisView : IScriptRedis
{
    private readonly RedisConnections _connections;
    private readonly RedisConnection? _connection;
    private readonly string _name;
    private readonly ScriptBudget _budget;
    private readonly TimeProvider _time;

    public ScriptRedisView(RedisConnections connections, string name, ScriptBudget budget, TimeProvider time)
    {
        _connections = connections;
        _name = name;
        _connection = connections.TryGet(name, out var connection) ? connection : null;
        _budget = budget;
        _time = time;
    }

    public IScriptRedis this[string name] =>
        _connections.TryGet(name ?? throw new ArgumentNullException(nameof(name)), out _)
            ? new ScriptRedisView(_connections, name, _budget, _time)
            : throw new ArgumentException($"no Redis connection \"{name}\" is configured (Redis:{name}:Endpoints)", nameof(name));

    public Task<string?> StringGetAsync(string key) => CallAsync("GET", key, async db => (string?)await db.StringGetAsync(key));

    public Task<bool> StringSetAsync(string key, string value, TimeSpan? expiry = null, bool whenNotExists = false) =>
        CallAsync("SET", key, db => db.StringSetAsync(key, value, expiry, whenNotExists ? When.NotExists : When.Always), value);

    public Task<long> StringIncrementAsync(string key, long by = 1) => CallAsync("INCRBY", key, db => db.StringIncrementAsync(key, by));

    public Task<long> StringDecrementAsync(string key, long by = 1) => CallAsync("DECRBY", key, db => db.StringDecrementAsync(key, by));

    public Task<bool> KeyDeleteAsync(string key) => CallAsync("DEL", key, db => db.KeyDeleteAsync(key));

    public Task<bool> KeyExistsAsync(string key) => CallAsync("EXISTS", key, db => db.KeyExistsAsync(key));

    public Task<bool> KeyExpireAsync(string key, TimeSpan? expiry) => CallAsync(expiry is null ? "PERSIST" : "PEXPIRE", key, db => expiry is null ? db.KeyPersistAsync(key) : db.KeyExpireAsync(key, expiry));

    public Task<TimeSpan?> KeyTimeToLiveAsync(string key) => CallAsync("PTTL", key, db => db.KeyTimeToLiveAsync(key));

    public Task<string?> HashGetAsync(string key, string field) => CallAsync("HGET", key, async db => (string?)await db.HashGetAsync(key, field), field);

    public Task<bool> HashSetAsync(string key, string field, string value) => CallAsync("HSET", key, db => db.HashSetAsync(key, field, value), field, value);

    public Task<bool> HashDeleteAsync(string key, string field) => CallAsync("HDEL", key, db => db.HashDeleteAsync(key, field), field);

    public Task<long> HashIncrementAsync(string key, string field, long by = 1) => CallAsync("HINCRBY", key, db => db.HashIncrementAsync(key, field, by), field);

    public Task<IReadOnlyDictionary<string, string>> HashGetAllAsync(string key) => CallAsync<IReadOnlyDictionary<string, string>>("HGETALL", key, async db =>
    {
        await CheckItemsAsync("HGETALL", key, await db.HashLengthAsync(key));
        var entries = await db.HashGetAllAsync(key);
        return entries.ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);
    });

    public Task<bool> SetAddAsync(string key, string member) => CallAsync("SADD", key, db => db.SetAddAsync(key, member), member);

    public Task<bool> SetRemoveAsync(string key, string member) => CallAsync("SREM", key, db => db.SetRemoveAsync(key, member), member);

    public Task<bool> SetContainsAsync(string key, string member) => CallAsync("SISMEMBER", key, db => db.SetContainsAsync(key, member), member);

    public Task<IReadOnlyList<string>> SetMembersAsync(string key) => CallAsync<IReadOnlyList<string>>("SMEMBERS", key, async db =>
    {
        await CheckItemsAsync("SMEMBERS", key, await db.SetLengthAsync(key));
        var members = await db.SetMembersAsync(key);
        return members.Select(m => (string)m!).ToArray();
    });

    public Task<long> PublishAsync(string channel, string message) =>
        CallAsync("PUBLISH", channel, db => db.PublishAsync(RedisChannel.Literal(channel), message), message);

    private Task CheckItemsAsync(string command, string key, long count) => count > Connection.Config.MaxItems
        ? throw new ScriptRedisException($"Redis {_name}: {command} {Shorten(key)} refused: {count} items, more than the connection's limit of {Connection.Config.MaxItems} (Redis:{_name}:MaxItems)")
        : Task.CompletedTask;

    private RedisConnection Connection => _connection ?? throw new ScriptRedisException($"Redis {_name}: no such connection is configured (Redis:{_name}:Endpoints)");

    private async Task<T> CallAsync<T>(string command, string key, Func<IDatabase, Task<T>> call, string? value1 = null, string? value2 = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var connection = Connection;
        CheckSize(command, "key", key, connection.Config.MaxValueBytes);
        CheckSize(command, "value", value1, connection.Config.MaxValueBytes);
        CheckSize(command, "value", value2, connection.Config.MaxValueBytes);
        var limit = connection.Config.Timeout;
        var remaining = _budget.Remaining;
        if (remaining != Timeout.InfiniteTimeSpan && remaining < limit)
        {
            limit = remaining;
        }

        if (limit <= TimeSpan.Zero)
        {
            throw new ScriptRedisException($"Redis {_name}: {command} {Shorten(key)} not sent: the script's budget is spent");
        }

        try
        {
            return await call(connection.Database).WaitAsync(limit, _time);
        }
        catch (TimeoutException)
        {
            throw new ScriptRedisException($"Redis {_name}: {command} {Shorten(key)} timed out after {limit.TotalMilliseconds:0} ms");
        }
        catch (RedisException ex)
        {
            throw new ScriptRedisException($"Redis {_name}: {command} {Shorten(key)} failed: {ex.Message}");
        }
    }

    private void CheckSize(string command, string what, string? text, int max)
    {
        if (text is not null && text.Length > max / 3 && Encoding.UTF8.GetByteCount(text) > max)
        {
            throw new ScriptRedisException($"Redis {_name}: {command} refused: the {what} is larger than {max} bytes (Redis:{_name}:MaxValueBytes)");
        }
    }

    private static string Shorten(string key) => key.Length <= 64 ? key : key[..64] + "…";
}
