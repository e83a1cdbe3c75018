namespace Slardar.Scriptable.Host.Store;

/// <summary>
/// Sources the compile worker crashed on (migration 3), so that a restart does not send them to the
/// compiler again: a file that crashed the compiler must not cost a worker at every start. Keyed by the
/// compile cache key, which changes with the source and with the gateway's build.
/// </summary>
internal sealed partial class GatewayStore
{
    public StoredCompileCrash? GetCompileCrash(string cacheKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(cacheKey);
        return Read(connection => CompileCrashQueries.Get(connection, cacheKey));
    }

    public void PutCompileCrash(StoredCompileCrash crash)
    {
        ArgumentNullException.ThrowIfNull(crash);
        Write(() => CompileCrashQueries.Put(_writer, crash, _time.GetUtcNow()));
    }
}
