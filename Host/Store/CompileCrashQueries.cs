using Microsoft.Data.Sqlite;

namespace Slardar.Scriptable.Host.Store;

/// <summary>Statements on <c>compile_crashes</c>: compile cache keys of sources the compile worker died on.</summary>
internal static class CompileCrashQueries
{
    private const string Select = "SELECT cache_key, name, reason FROM compile_crashes WHERE cache_key = $cache_key";

    private const string Insert = """
        INSERT INTO compile_crashes (cache_key, name, reason, created_at) VALUES ($cache_key, $name, $reason, $created_at)
        ON CONFLICT (cache_key) DO UPDATE SET name = excluded.name, reason = excluded.reason, created_at = excluded.created_at
        """;

    public static StoredCompileCrash? Get(SqliteConnection connection, string cacheKey) =>
        SqliteCommands.QuerySingle(connection, Select, static reader => new StoredCompileCrash(reader.GetString(0), reader.GetString(1), reader.GetString(2)), ("$cache_key", cacheKey));

    public static int Put(SqliteConnection connection, StoredCompileCrash crash, DateTimeOffset at) =>
        SqliteCommands.Execute(connection, Insert,
            ("$cache_key", crash.CacheKey), ("$name", crash.Name), ("$reason", crash.Reason), ("$created_at", StoreTime.ToText(at)));
}
