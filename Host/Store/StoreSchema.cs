using System.Collections.Immutable;
using Microsoft.Data.Sqlite;

namespace Slardar.Scriptable.Host.Store;

/// <summary>
/// The schema as an ordered list of migrations, and the code that brings a file up to date. A
/// migration is never edited once released: a change to the schema is a new migration appended here.
/// </summary>
internal static class StoreSchema
{
    public static readonly ImmutableArray<StoreMigration> Migrations =
    [
        new(1, "documents, versions and audit", """
            CREATE TABLE versions (
                kind       TEXT    NOT NULL,
                name       TEXT    NOT NULL COLLATE NOCASE,
                version    INTEGER NOT NULL CHECK (version >= 1),
                action     TEXT    NOT NULL CHECK (action IN ('put', 'delete', 'rollback')),
                content    TEXT,
                sha256     TEXT,
                origin     TEXT    NOT NULL,
                actor      TEXT,
                created_at TEXT    NOT NULL,
                PRIMARY KEY (kind, name, version),
                CHECK ((action = 'delete') = (content IS NULL)),
                CHECK ((content IS NULL) = (sha256 IS NULL))
            );

            CREATE TABLE documents (
                kind    TEXT    NOT NULL,
                name    TEXT    NOT NULL COLLATE NOCASE,
                version INTEGER NOT NULL,
                PRIMARY KEY (kind, name),
                FOREIGN KEY (kind, name, version) REFERENCES versions (kind, name, version)
            );

            CREATE TABLE audit (
                id     INTEGER PRIMARY KEY AUTOINCREMENT,
                at     TEXT NOT NULL,
                actor  TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                detail TEXT
            );
            """),
        new(2, "compiled script images", """
            CREATE TABLE compiled_scripts (
                name       TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
                cache_key  TEXT NOT NULL,
                image      BLOB NOT NULL,
                pdb        BLOB NOT NULL,
                warnings   TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            """),
        new(3, "sources the compiler crashed on", """
            CREATE TABLE compile_crashes (
                cache_key  TEXT NOT NULL PRIMARY KEY,
                name       TEXT NOT NULL,
                reason     TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            """),
        new(4, "private keys of TLS certificates, sealed", """
            CREATE TABLE certificate_keys (
                name       TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
                version    INTEGER NOT NULL,
                sealed     TEXT    NOT NULL,
                created_at TEXT    NOT NULL
            );
            """),
        new(5, "the modules compiled into a script image", """
            ALTER TABLE compiled_scripts ADD COLUMN modules TEXT NOT NULL DEFAULT '';
            """),
        new(6, "the sealed key of every certificate version, for rollback", """
            CREATE TABLE certificate_key_versions (
                name       TEXT    NOT NULL COLLATE NOCASE,
                version    INTEGER NOT NULL,
                sealed     TEXT    NOT NULL,
                created_at TEXT    NOT NULL,
                PRIMARY KEY (name, version)
            );
            INSERT INTO certificate_key_versions (name, version, sealed, created_at)
                SELECT name, version, sealed, created_at FROM certificate_keys;
            """),
    ];

    private const string SchemaVersionTableExists = """
        SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'
        """;

    private const string CreateSchemaVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version     INTEGER PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at  TEXT NOT NULL
        )
        """;

    private const string SelectSchemaVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_version";

    private const string InsertSchemaVersion = """
        INSERT INTO schema_version (version, description, applied_at) VALUES ($version, $description, $applied_at)
        """;

    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>The version recorded in the file; 0 for a new file. Creates and changes nothing.</summary>
    public static int ReadVersion(SqliteConnection connection) =>
        SqliteCommands.Scalar<long>(connection, SchemaVersionTableExists) == 0
            ? 0
            : SqliteCommands.Scalar<int>(connection, SelectSchemaVersion);

    /// <summary>Applies the migrations the file lacks and returns them (none when it is up to date).</summary>
    public static List<StoreMigration> Migrate(SqliteConnection connection, TimeProvider time)
    {
        var applied = new List<StoreMigration>();
        foreach (var migration in Migrations)
        {
            // BEGIN IMMEDIATE takes the write lock before the version is read, so two processes
            // opening one new file cannot both apply the same migration.
            using var transaction = connection.BeginTransaction(deferred: false);
            SqliteCommands.Execute(connection, CreateSchemaVersionTable);
            if (SqliteCommands.Scalar<int>(connection, SelectSchemaVersion) >= migration.Version)
            {
                continue;
            }

            SqliteCommands.Execute(connection, migration.Sql);
            SqliteCommands.Execute(
                connection,
                InsertSchemaVersion,
                ("$version", migration.Version),
                ("$description", migration.Description),
                ("$applied_at", StoreTime.ToText(time.GetUtcNow())));
            transaction.Commit();
            applied.Add(migration);
        }

        return applied;
    }
}
