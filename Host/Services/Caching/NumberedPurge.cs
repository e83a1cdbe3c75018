namespace Slardar.Scriptable.Host.Services.Caching;

/// <summary>One purge in a gateway's Consul purge log: its number there, the cache, and the key (null: the whole cache).</summary>
internal sealed record NumberedPurge(long Seq, string Cache, string? Key);
