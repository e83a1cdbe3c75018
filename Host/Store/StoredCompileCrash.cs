namespace Slardar.Scriptable.Host.Store;

/// <summary>A source the compile worker crashed on, by its compile cache key (the script name is the first one it crashed under).</summary>
internal sealed record StoredCompileCrash(string CacheKey, string Name, string Reason);
