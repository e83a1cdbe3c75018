namespace Slardar.Scriptable.Host.Store;

/// <summary>Why a rollback was refused.</summary>
internal enum StoreRollbackError
{
    /// <summary>The document never had that version.</summary>
    VersionNotFound,

    /// <summary>That version is a deletion: it has no content to bring back.</summary>
    VersionIsDeletion,
}
