namespace Slardar.Scriptable.Host.Store;

/// <summary>
/// The store file cannot be used: not a SQLite database, damaged, unreachable, or written by a newer
/// build. The message names the file, since this surfaces at startup where the path is the fix.
/// </summary>
internal sealed class StoreOpenException : Exception
{
    public StoreOpenException(string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    public string Path { get; }
}
