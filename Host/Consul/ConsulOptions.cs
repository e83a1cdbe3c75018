namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// How to reach Consul's HTTP API v1. Several agent addresses may be given: they are tried in order
/// and the client sticks to the first that answers (see <see cref="ConsulClient"/>).
/// </summary>
internal sealed record ConsulOptions
{
    /// <summary>Consul's documented upper bound for a blocking query's <c>wait</c>.</summary>
    public static readonly TimeSpan MaxBlockingWait = TimeSpan.FromMinutes(10);

    /// <summary>Agent base addresses, e.g. <c>http://127.0.0.1:8500</c>. At least one.</summary>
    public required IReadOnlyList<Uri> Addresses { get; init; }

    /// <summary>ACL token sent as <c>X-Consul-Token</c>; none when null or empty.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// Bound on a non-blocking request, and the margin added on top of a blocking query's wait
    /// (Consul itself adds up to wait/16 of jitter, which is added too).
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The <c>wait</c> a watch asks for; Consul's own default is 5 minutes.</summary>
    public TimeSpan BlockingWait { get; init; } = TimeSpan.FromMinutes(5);
}
