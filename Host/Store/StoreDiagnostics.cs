namespace Slardar.Scriptable.Host.Store;

/// <summary>
/// The settings the write connection really runs with, read back from SQLite rather than assumed:
/// a filesystem that cannot do WAL, for one, silently keeps the rollback journal.
/// </summary>
internal sealed record StoreDiagnostics(
    string Path,
    string SqliteVersion,
    int SchemaVersion,
    string JournalMode,
    string Synchronous,
    bool ForeignKeys,
    int BusyTimeoutMilliseconds);
