using System.Collections.Immutable;
using Slardar.Scriptable.Host.Checkups.Probes;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// How an upstream's peers are actively checked (checkups' heartbeat fields). Immutable; the live
/// results are in <see cref="ActiveHealth"/>.
/// </summary>
internal sealed record HeartbeatConfig
{
    public static HeartbeatConfig Default { get; } = new();

    /// <summary><c>typ</c>: general (TCP connect), http, redis or mysql.</summary>
    public string Type { get; init; } = ProbeTypes.General;

    /// <summary><c>http_opts.query</c>: the raw request sent by the http check; null = connect only.</summary>
    public string? HttpQuery { get; init; }

    /// <summary><c>http_opts.statuses</c>: status codes mapped to false, which fail the http check.</summary>
    public ImmutableHashSet<int> HttpFailureStatuses { get; init; } = [];

    /// <summary><c>protected</c>: when every peer fails, the first stays usable as <c>unstable</c>.</summary>
    public bool Protected { get; init; } = true;

    /// <summary><c>sensibility</c>: consecutive failed checks before a peer turns err (checkups' fall).</summary>
    public int Sensibility { get; init; } = 1;

    /// <summary><c>rise</c>: consecutive passed checks before an err peer is ok again (not in checkups).</summary>
    public int Rise { get; init; } = 1;

    /// <summary>mysql check: <c>name</c> (database), <c>user</c>, <c>pass</c>, <c>charset</c>; kept for round trips.</summary>
    public string? MysqlDatabase { get; init; }

    public string? MysqlUser { get; init; }

    public string? MysqlPassword { get; init; }

    public string? MysqlCharset { get; init; }
}
