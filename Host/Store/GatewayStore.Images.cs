namespace Slardar.Scriptable.Host.Store;

/// <summary>
/// The compiled-image cache beside the documents: a restart loads the image of every stored script
/// instead of compiling it again (seconds for a thousand hosts, instead of minutes).
/// </summary>
internal sealed partial class GatewayStore
{
    public StoredImage? GetImage(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Read(connection => ImageQueries.Get(connection, name));
    }

    /// <summary>
    /// Keeps <paramref name="image"/> for its script name. Not synced on its own (synchronous=NORMAL in
    /// WAL mode): a cache entry lost to a crash costs one compile, and the next durable commit syncs it.
    /// </summary>
    public void PutImage(StoredImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SqliteCommands.Execute(_writer, "PRAGMA synchronous = NORMAL");
            try
            {
                using var transaction = _writer.BeginTransaction(deferred: false);
                ImageQueries.Put(_writer, image, _time.GetUtcNow());
                transaction.Commit();
            }
            finally
            {
                SqliteCommands.Execute(_writer, "PRAGMA synchronous = FULL");
            }
        }
    }

    public void DeleteImage(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Write(() => ImageQueries.Delete(_writer, name));
    }
}
