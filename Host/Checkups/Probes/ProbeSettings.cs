using System.Collections.Frozen;

namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>
/// The per-upstream heartbeat options a probe needs (checkups' <c>timeout</c>, <c>http_opts</c>,
/// <c>name</c>/<c>user</c>/<c>pass</c>). Parsed from the upstream JSON elsewhere.
/// </summary>
internal sealed record ProbeSettings
{
    /// <summary>checkups' default heartbeat timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public static readonly ProbeSettings Default = new();

    private readonly TimeSpan _timeout = DefaultTimeout;

    /// <summary>Budget for the whole check: connect plus every read and write.</summary>
    public TimeSpan Timeout
    {
        get => _timeout;
        init
        {
            // CancelAfter takes at most int.MaxValue milliseconds; a zero budget could never pass.
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value.TotalMilliseconds, int.MaxValue);
            _timeout = value;
        }
    }

    /// <summary>The clock of <see cref="Timeout"/>: the gateway's injected one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Raw request sent by the http probe (<c>http_opts.query</c>); null means connect only.</summary>
    public string? HttpQuery { get; init; }

    /// <summary>Status codes that fail the http probe (checkups' <c>http_opts.statuses</c> entries mapped to false).</summary>
    public IReadOnlySet<int> HttpFailureStatuses { get; init; } = FrozenSet<int>.Empty;

    /// <summary>TLS to the peer (the upstream's <c>"scheme": "https"</c>), or null for plain TCP.</summary>
    public UpstreamTlsConfig? Tls { get; init; }

    /// <summary>The upstream's <c>"http2"</c>: a connect-only check over TLS then offers h2 by ALPN, as traffic does.</summary>
    public bool Http2 { get; init; }

    /// <summary>checkups' <c>name</c>. Kept for the configuration's sake: the mysql probe does not log in.</summary>
    public string? MysqlDatabase { get; init; }

    /// <summary>checkups' <c>user</c>; see <see cref="MysqlDatabase"/>.</summary>
    public string? MysqlUser { get; init; }

    /// <summary>checkups' <c>pass</c>; see <see cref="MysqlDatabase"/>.</summary>
    public string? MysqlPassword { get; init; }
}
