using Microsoft.Data.Sqlite;

namespace Slardar.Scriptable.Host.Store;

/// <summary>
/// Statements on <c>certificate_keys</c> (the sealed private key of each current certificate) and
/// <c>certificate_key_versions</c> (the sealed key of every version, so a rollback brings its key back).
/// </summary>
internal static class CertificateKeyQueries
{
    private const string Select = "SELECT sealed FROM certificate_keys WHERE name = $name";

    private const string Upsert = """
        INSERT INTO certificate_keys (name, version, sealed, created_at) VALUES ($name, $version, $sealed, $created_at)
        ON CONFLICT (name) DO UPDATE SET name = excluded.name, version = excluded.version, sealed = excluded.sealed, created_at = excluded.created_at
        """;

    private const string DeleteByName = "DELETE FROM certificate_keys WHERE name = $name";

    private const string SelectVersion = "SELECT sealed FROM certificate_key_versions WHERE name = $name AND version = $version";

    // Replace: a put of unchanged content keeps its version number.
    private const string InsertVersion = """
        INSERT OR REPLACE INTO certificate_key_versions (name, version, sealed, created_at) VALUES ($name, $version, $sealed, $created_at)
        """;

    public static string? Get(SqliteConnection connection, string name) =>
        SqliteCommands.QuerySingle(connection, Select, static reader => reader.GetString(0), ("$name", name));

    /// <summary>Makes the key current and keeps it as the key of <paramref name="version"/>.</summary>
    public static void Put(SqliteConnection connection, string name, int version, string sealedKey, DateTimeOffset at)
    {
        SqliteCommands.Execute(connection, Upsert, ("$name", name), ("$version", version), ("$sealed", sealedKey), ("$created_at", StoreTime.ToText(at)));
        SqliteCommands.Execute(connection, InsertVersion, ("$name", name), ("$version", version), ("$sealed", sealedKey), ("$created_at", StoreTime.ToText(at)));
    }

    public static string? GetVersion(SqliteConnection connection, string name, int version) =>
        SqliteCommands.QuerySingle(connection, SelectVersion, static reader => reader.GetString(0), ("$name", name), ("$version", version));

    public static int Delete(SqliteConnection connection, string name) =>
        SqliteCommands.Execute(connection, DeleteByName, ("$name", name));
}
