using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Services.Redis;

/// <summary>The gateway's named Redis connections (one set per gateway instance); empty when none is configured.</summary>
internal sealed class RedisConnections : IAsyncDisposable
{
    private readonly FrozenDictionary<string, RedisConnection> _byName;

    public RedisConnections(ImmutableArray<RedisConnectionConfig> configs, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger<RedisConnection>();
        _byName = configs.ToFrozenDictionary(c => c.Name, c => new RedisConnection(c, logger), StringComparer.OrdinalIgnoreCase);
    }

    public IEnumerable<RedisConnection> All => _byName.Values.OrderBy(c => c.Config.Name, StringComparer.Ordinal);

    /// <summary><c>Redis:Default</c>, or null when it is not configured.</summary>
    public RedisConnection? Default => _byName.GetValueOrDefault(RedisConnectionConfig.DefaultName);

    public bool TryGet(string name, out RedisConnection connection) => _byName.TryGetValue(name, out connection!);

    /// <summary>Starts every connection; bounded by their connect timeouts, never throws for a server down.</summary>
    public Task StartAsync() => Task.WhenAll(_byName.Values.Select(c => c.StartAsync()));

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _byName.Values)
        {
            await connection.DisposeAsync();
        }
    }
}
