namespace Slardar.Scriptable.Host.Services.Caching;

/// <summary>A purge on the wire: which gateway made it, the cache, and the key (null: the whole cache).</summary>
internal sealed record PurgeMessage(string From, string Cache, string? Key);
