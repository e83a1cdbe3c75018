using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Slardar.Scriptable.Host.Store;

/// <summary>
/// The durable, versioned home of every document the gateway can change at run time (upstreams,
/// scripts, config): (kind, name) → content, with the full history of each and an audit log.
/// <para>
/// A write returns only after its transaction has committed with <c>synchronous=FULL</c> in WAL
/// mode, i.e. after it is on disk: callers acknowledge a change only once this returns. Writes are
/// serialized on one connection; reads take a pooled connection each, so under WAL they neither
/// wait for writes nor block them. Names compare ASCII case-insensitively, like host names.
/// </para>
/// </summary>
internal sealed partial class GatewayStore : IDisposable
{
    private const int BusyTimeoutMilliseconds = 10_000;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly ILogger<GatewayStore> _logger;
    private readonly Lock _writeLock = new();
    private readonly SqliteConnection _writer;
    private bool _disposed;

    private GatewayStore(string path, string connectionString, SqliteConnection writer, int schemaVersion, TimeProvider time, ILogger<GatewayStore> logger)
    {
        Path = path;
        SchemaVersion = schemaVersion;
        _connectionString = connectionString;
        _writer = writer;
        _time = time;
        _logger = logger;
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Schema version of the file once opened (always <see cref="StoreSchema.LatestVersion"/>).</summary>
    public int SchemaVersion { get; }

    /// <summary>
    /// Opens (creating if missing) the store at <paramref name="path"/> and brings its schema up to
    /// date.
    /// </summary>
    /// <exception cref="StoreOpenException">
    /// The file is not a SQLite database, is damaged, cannot be created, or has a newer schema than
    /// this build knows.
    /// </exception>
    public static GatewayStore Open(string path, TimeProvider time, ILogger<GatewayStore> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);

        var fullPath = System.IO.Path.GetFullPath(path);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();

        SqliteConnection? writer = null;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
            writer = OpenConnection(connectionString);

            // Checked before anything is written, so a newer build's file is left exactly as it was.
            var found = StoreSchema.ReadVersion(writer);
            if (found > StoreSchema.LatestVersion)
            {
                throw new StoreOpenException(
                    fullPath,
                    $"The store '{fullPath}' has schema version {found}, newer than the {StoreSchema.LatestVersion} this build knows: "
                    + "it was written by a newer Slardar.Scriptable. Refusing to open it so its data is not damaged; "
                    + "run the newer build or point Store:Path at another file.");
            }

            var journalMode = SqliteCommands.Scalar<string>(writer, "PRAGMA journal_mode = WAL");
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                // Still durable (synchronous=FULL holds either way), but readers now wait for writers.
                Log.NoWal(logger, fullPath, journalMode);
            }

            foreach (var migration in StoreSchema.Migrate(writer, time))
            {
                Log.Migrated(logger, fullPath, migration.Version, migration.Description);
            }

            var store = new GatewayStore(fullPath, connectionString, writer, StoreSchema.ReadVersion(writer), time, logger);
            Log.Opened(logger, fullPath, store.SchemaVersion, writer.ServerVersion);
            return store;
        }
        catch (SqliteException ex)
        {
            Dispose(writer, connectionString);
            throw new StoreOpenException(fullPath, Describe(fullPath, ex), ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Dispose(writer, connectionString);
            throw new StoreOpenException(fullPath, $"Cannot open the store '{fullPath}': {ex.Message}", ex);
        }
        catch
        {
            Dispose(writer, connectionString);
            throw;
        }
    }

    /// <summary>
    /// Records <paramref name="content"/> as the next version of (kind, name) and makes it current.
    /// Content equal to the current content records nothing and returns the current version with
    /// <see cref="StoredVersion.Unchanged"/> set, so re-applying the same source at every start
    /// leaves history alone.
    /// </summary>
    /// <param name="auditAction">When set, a recorded version also appends this audit line in the same transaction.</param>
    public StoredVersion Put(string kind, string name, string content, string origin, string? actor = null, string? auditAction = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(origin);
        return Write(() =>
        {
            var stored = PutInTransaction(kind, name, content, origin, StoreActions.Put, actor);
            return AuditInTransaction(stored, auditAction, $"origin={origin} version={stored.Version}");
        });
    }

    /// <summary>
    /// Records a deletion version and removes the current document. Returns null, recording nothing,
    /// when there is no current document.
    /// </summary>
    /// <param name="auditAction">When set, a recorded deletion also appends this audit line in the same transaction.</param>
    public StoredVersion? Delete(string kind, string name, string origin, string? actor = null, string? auditAction = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(origin);
        return Write(() => DeleteInTransaction(kind, name, origin, actor, auditAction));
    }

    // Runs inside Write's transaction.
    private StoredVersion? DeleteInTransaction(string kind, string name, string origin, string? actor, string? auditAction)
    {
        if (DocumentQueries.Current(_writer, kind, name) is not { } current)
        {
            return null;
        }

        var deletion = new StoredVersion(
            kind,
            current.Name,
            DocumentQueries.NextVersion(_writer, kind, name),
            Content: null,
            origin,
            StoreActions.Delete,
            _time.GetUtcNow(),
            actor,
            Sha256: null);
        DocumentQueries.Insert(_writer, deletion);
        DocumentQueries.RemoveCurrent(_writer, kind, name);
        return AuditInTransaction(deletion, auditAction, $"origin={origin} version={deletion.Version}");
    }

    /// <summary>
    /// Makes the content of <paramref name="version"/> current again, as a new version with origin
    /// and action "rollback". Rolling back to the content that is already current records nothing
    /// (<see cref="StoredVersion.Unchanged"/>), as <see cref="Put"/> does.
    /// </summary>
    /// <exception cref="StoreRollbackException">The version does not exist or is a deletion.</exception>
    /// <param name="auditAction">When set, a recorded version also appends this audit line in the same transaction.</param>
    public StoredVersion Rollback(string kind, string name, int version, string? actor = null, string? auditAction = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Write(() =>
        {
            var target = DocumentQueries.Version(_writer, kind, name, version)
                ?? throw new StoreRollbackException(StoreRollbackError.VersionNotFound, $"{kind} '{name}' has no version {version}.");
            if (target.IsDeletion)
            {
                throw new StoreRollbackException(
                    StoreRollbackError.VersionIsDeletion,
                    $"Version {version} of {kind} '{name}' is a deletion; it has no content to roll back to.");
            }

            var restored = PutInTransaction(kind, name, target.Content!, StoreOrigins.Rollback, StoreActions.Rollback, actor);
            return AuditInTransaction(restored, auditAction, $"to version {version} (recorded as version {restored.Version})");
        });
    }

    /// <summary>Appends a line to the audit log, durably, and returns it.</summary>
    public AuditEntry Audit(string action, string target, string? detail, string actor)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentException.ThrowIfNullOrEmpty(actor);
        return Write(() =>
        {
            var at = _time.GetUtcNow();
            var id = AuditQueries.Insert(_writer, at, actor, action, target, detail);
            return new AuditEntry(id, at, actor, action, target, detail);
        });
    }

    public StoredDocument? Get(string kind, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Read(connection => DocumentQueries.Get(connection, kind, name));
    }

    /// <summary>The current documents of a kind, ordered by name (case-insensitively).</summary>
    public IReadOnlyList<StoredDocument> List(string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        return Read(connection => DocumentQueries.List(connection, kind));
    }

    /// <summary>The history of (kind, name), newest first, deletions included; empty if it never existed.</summary>
    public IReadOnlyList<StoredVersion> Versions(string kind, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Read(connection => DocumentQueries.Versions(connection, kind, name));
    }

    public StoredVersion? GetVersion(string kind, string name, int version)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Read(connection => DocumentQueries.Version(connection, kind, name, version));
    }

    /// <summary>The last <paramref name="limit"/> audit entries, newest first.</summary>
    public IReadOnlyList<AuditEntry> RecentAudit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return Read(connection => AuditQueries.Recent(connection, limit));
    }

    /// <summary>The pragmas the write connection really runs with.</summary>
    public StoreDiagnostics Diagnostics()
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var synchronous = SqliteCommands.Scalar<int>(_writer, "PRAGMA synchronous");
            return new StoreDiagnostics(
                Path,
                _writer.ServerVersion,
                SchemaVersion,
                JournalMode: SqliteCommands.Scalar<string>(_writer, "PRAGMA journal_mode"),
                Synchronous: synchronous switch { 0 => "OFF", 1 => "NORMAL", 2 => "FULL", 3 => "EXTRA", _ => synchronous.ToString(CultureInfo.InvariantCulture) },
                ForeignKeys: SqliteCommands.Scalar<int>(_writer, "PRAGMA foreign_keys") == 1,
                BusyTimeoutMilliseconds: SqliteCommands.Scalar<int>(_writer, "PRAGMA busy_timeout"));
        }
    }

    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Dispose(_writer, _connectionString);
        }
    }

    // Runs inside Write's transaction.
    private StoredVersion PutInTransaction(string kind, string name, string content, string origin, string action, string? actor)
    {
        var current = DocumentQueries.Current(_writer, kind, name);
        if (current is not null && string.Equals(current.Content, content, StringComparison.Ordinal))
        {
            return current with { Unchanged = true };
        }

        var version = new StoredVersion(
            kind,
            name,
            DocumentQueries.NextVersion(_writer, kind, name),
            content,
            origin,
            action,
            _time.GetUtcNow(),
            actor,
            ContentHash.Sha256Hex(content));
        DocumentQueries.Insert(_writer, version);
        DocumentQueries.SetCurrent(_writer, version);
        return version;
    }

    // Runs inside Write's transaction: a change and its audit line commit together, one fsync
    // instead of two on every admin write (the reload latency is bounded by them).
    private StoredVersion AuditInTransaction(StoredVersion change, string? action, string detail)
    {
        if (action is not null && !change.Unchanged)
        {
            AuditQueries.Insert(_writer, change.CreatedAt, change.Actor ?? change.Origin, action, change.Name, detail);
        }

        return change;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one IMMEDIATE transaction on the write connection and commits
    /// it; the commit returns once the data is on disk (synchronous=FULL). IMMEDIATE takes SQLite's
    /// write lock up front, so read-then-write (next version number, unchanged check) is atomic even
    /// against another process writing the same file.
    /// </summary>
    private T Write<T>(Func<T> work)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction(deferred: false);
            var result = work();
            transaction.Commit();
            if (result is StoredVersion { Unchanged: false } version)
            {
                Log.Recorded(_logger, version.Kind, version.Name, version.Version, version.Action, version.Origin);
            }

            return result;
        }
    }

    private T Read<T>(Func<SqliteConnection, T> query)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        using var connection = OpenConnection(_connectionString);
        return query(connection);
    }

    private static SqliteConnection OpenConnection(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();

            // Per-connection settings, so set on every open (pooled connections keep them anyway).
            SqliteCommands.Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}");
            SqliteCommands.Execute(connection, "PRAGMA synchronous = FULL");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // Closing alone would park the connections in the pool and keep the file open.
    private static void Dispose(SqliteConnection? connection, string connectionString)
    {
        if (connection is null)
        {
            return;
        }

        connection.Dispose();
        using var forPool = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(forPool);
    }

    private static string Describe(string path, SqliteException ex) => ex.SqliteErrorCode switch
    {
        26 /* SQLITE_NOTADB */ or 11 /* SQLITE_CORRUPT */ =>
            $"The store '{path}' is not a SQLite database or is damaged ({ex.Message}). "
            + "Move it aside to start with an empty store, or restore it from a backup.",
        _ => $"Cannot open the store '{path}': {ex.Message}",
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Opened store {Path} (schema version {SchemaVersion}, SQLite {SqliteVersion})")]
        public static partial void Opened(ILogger logger, string path, int schemaVersion, string sqliteVersion);

        [LoggerMessage(2, LogLevel.Information, "Store {Path}: applied migration {Version} ({Description})")]
        public static partial void Migrated(ILogger logger, string path, int version, string description);

        [LoggerMessage(3, LogLevel.Warning, "Store {Path} could not switch to WAL and runs in journal mode {JournalMode}; reads will wait for writes")]
        public static partial void NoWal(ILogger logger, string path, string journalMode);

        [LoggerMessage(4, LogLevel.Information, "Stored {Kind} {Name} version {Version} ({Action}, origin {Origin})")]
        public static partial void Recorded(ILogger logger, string kind, string name, int version, string action, string origin);
    }
}
