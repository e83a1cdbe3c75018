using Microsoft.Data.Sqlite;

namespace Slardar.Scriptable.Host.Store;

/// <summary>Every statement on the <c>audit</c> table.</summary>
internal static class AuditQueries
{
    private const string InsertSql = """
        INSERT INTO audit (at, actor, action, target, detail) VALUES ($at, $actor, $action, $target, $detail)
        RETURNING id
        """;

    // Ordered by id, not time: ids follow commit order even when two entries share a timestamp.
    private const string SelectRecentSql = """
        SELECT id, at, actor, action, target, detail FROM audit ORDER BY id DESC LIMIT $limit
        """;

    public static long Insert(SqliteConnection connection, DateTimeOffset at, string actor, string action, string target, string? detail) =>
        SqliteCommands.Scalar<long>(
            connection,
            InsertSql,
            ("$at", StoreTime.ToText(at)),
            ("$actor", actor),
            ("$action", action),
            ("$target", target),
            ("$detail", detail));

    public static List<AuditEntry> Recent(SqliteConnection connection, int limit) =>
        SqliteCommands.Query(connection, SelectRecentSql, ReadEntry, ("$limit", limit));

    private static AuditEntry ReadEntry(SqliteDataReader row) => new(
        Id: row.GetInt64(0),
        At: StoreTime.Parse(row.GetString(1)),
        Actor: row.GetString(2),
        Action: row.GetString(3),
        Target: row.GetString(4),
        Detail: row.IsDBNull(5) ? null : row.GetString(5));
}
