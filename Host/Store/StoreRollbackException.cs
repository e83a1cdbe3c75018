namespace Slardar.Scriptable.Host.Store;

/// <summary>
/// A rollback names a version that cannot be brought back. A type of its own so the admin API can
/// answer 404/400 without catching the broad exceptions that would also hide bugs.
/// </summary>
internal sealed class StoreRollbackException : Exception
{
    public StoreRollbackException(StoreRollbackError error, string message)
        : base(message)
    {
        Error = error;
    }

    public StoreRollbackError Error { get; }
}
