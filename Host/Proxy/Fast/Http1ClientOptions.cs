namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>The fast path's connection pools and parser limits, copied once at start.</summary>
internal sealed record Http1ClientOptions
{
    /// <summary>Idle keep-alive connections kept per peer; more are closed when they come back.</summary>
    public int MaxIdlePerPeer { get; init; } = 256;

    /// <summary>An idle connection older than this is closed (as SocketsHttpHandler's PooledConnectionIdleTimeout).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Connections open at most to one peer (<c>Proxy:MaxConnectionsPerPeer</c>); 0 = no limit, else requests wait for one.</summary>
    public int MaxConnectionsPerPeer { get; init; }

    /// <summary>Largest response header section (status line, fields, and trailers each) accepted from a peer.</summary>
    public int MaxHeaderBytes { get; init; } = 64 * 1024;

    /// <summary>Longest chunk-size line (with extensions) accepted in a chunked body.</summary>
    public int MaxChunkLineBytes { get; init; } = 4096;
}
