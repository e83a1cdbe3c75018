using Microsoft.Data.Sqlite;

namespace Slardar.Scriptable.Host.Store;

/// <summary>
/// Every statement on the <c>documents</c> and <c>versions</c> tables. A document row only points at
/// its current version; content, origin and time live once, in <c>versions</c>. Callers own the
/// connection and, for writes, the transaction.
/// </summary>
internal static class DocumentQueries
{
    // The column list every version read uses; ReadVersion maps it by position.
    private const string VersionColumns =
        "v.kind, v.name, v.version, v.content, v.origin, v.action, v.created_at, v.actor, v.sha256";

    private const string CurrentVersionJoin = """
        FROM documents d
        JOIN versions v ON v.kind = d.kind AND v.name = d.name AND v.version = d.version
        """;

    private const string SelectCurrent = $"""
        SELECT {VersionColumns}
        {CurrentVersionJoin}
        WHERE d.kind = $kind AND d.name = $name
        """;

    private const string SelectByKind = $"""
        SELECT {VersionColumns}
        {CurrentVersionJoin}
        WHERE d.kind = $kind
        ORDER BY v.name
        """;

    private const string SelectVersions = $"""
        SELECT {VersionColumns}
        FROM versions v
        WHERE v.kind = $kind AND v.name = $name
        ORDER BY v.version DESC
        """;

    private const string SelectVersion = $"""
        SELECT {VersionColumns}
        FROM versions v
        WHERE v.kind = $kind AND v.name = $name AND v.version = $version
        """;

    // Counted over all versions, deletions included, so a number is never handed out twice.
    private const string SelectNextVersion = """
        SELECT COALESCE(MAX(version), 0) + 1 FROM versions WHERE kind = $kind AND name = $name
        """;

    private const string InsertVersionSql = """
        INSERT INTO versions (kind, name, version, content, origin, action, created_at, actor, sha256)
        VALUES ($kind, $name, $version, $content, $origin, $action, $created_at, $actor, $sha256)
        """;

    // The name is rewritten too: names compare case-insensitively and the newest spelling wins,
    // as it does in the upstream registry.
    private const string UpsertCurrentSql = """
        INSERT INTO documents (kind, name, version) VALUES ($kind, $name, $version)
        ON CONFLICT (kind, name) DO UPDATE SET name = excluded.name, version = excluded.version
        """;

    private const string DeleteCurrentSql = """
        DELETE FROM documents WHERE kind = $kind AND name = $name
        """;

    public static StoredVersion? Current(SqliteConnection connection, string kind, string name) =>
        SqliteCommands.QuerySingle(connection, SelectCurrent, ReadVersion, ("$kind", kind), ("$name", name));

    public static StoredDocument? Get(SqliteConnection connection, string kind, string name) =>
        Current(connection, kind, name) is { } current ? ToDocument(current) : null;

    public static List<StoredDocument> List(SqliteConnection connection, string kind) =>
        SqliteCommands.Query(connection, SelectByKind, row => ToDocument(ReadVersion(row)), ("$kind", kind));

    public static List<StoredVersion> Versions(SqliteConnection connection, string kind, string name) =>
        SqliteCommands.Query(connection, SelectVersions, ReadVersion, ("$kind", kind), ("$name", name));

    public static StoredVersion? Version(SqliteConnection connection, string kind, string name, int version) =>
        SqliteCommands.QuerySingle(connection, SelectVersion, ReadVersion, ("$kind", kind), ("$name", name), ("$version", version));

    public static int NextVersion(SqliteConnection connection, string kind, string name) =>
        SqliteCommands.Scalar<int>(connection, SelectNextVersion, ("$kind", kind), ("$name", name));

    public static void Insert(SqliteConnection connection, StoredVersion version) =>
        SqliteCommands.Execute(
            connection,
            InsertVersionSql,
            ("$kind", version.Kind),
            ("$name", version.Name),
            ("$version", version.Version),
            ("$content", version.Content),
            ("$origin", version.Origin),
            ("$action", version.Action),
            ("$created_at", StoreTime.ToText(version.CreatedAt)),
            ("$actor", version.Actor),
            ("$sha256", version.Sha256));

    public static void SetCurrent(SqliteConnection connection, StoredVersion version) =>
        SqliteCommands.Execute(connection, UpsertCurrentSql, ("$kind", version.Kind), ("$name", version.Name), ("$version", version.Version));

    public static void RemoveCurrent(SqliteConnection connection, string kind, string name) =>
        SqliteCommands.Execute(connection, DeleteCurrentSql, ("$kind", kind), ("$name", name));

    private static StoredVersion ReadVersion(SqliteDataReader row) => new(
        Kind: row.GetString(0),
        Name: row.GetString(1),
        Version: row.GetInt32(2),
        Content: row.IsDBNull(3) ? null : row.GetString(3),
        Origin: row.GetString(4),
        Action: row.GetString(5),
        CreatedAt: StoreTime.Parse(row.GetString(6)),
        Actor: row.IsDBNull(7) ? null : row.GetString(7),
        Sha256: row.IsDBNull(8) ? null : row.GetString(8));

    // A current version is never a deletion (deleting removes the documents row), so Content is set.
    private static StoredDocument ToDocument(StoredVersion current) =>
        new(current.Kind, current.Name, current.Content!, current.Version, current.Origin, current.CreatedAt);
}
