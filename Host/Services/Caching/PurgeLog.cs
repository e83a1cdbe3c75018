namespace Slardar.Scriptable.Host.Services.Caching;

/// <summary>The value of a gateway's <c>cache_purges/&lt;instance&gt;</c> key: its last purges, oldest first.</summary>
internal sealed record PurgeLog(IReadOnlyList<NumberedPurge> Purges);
