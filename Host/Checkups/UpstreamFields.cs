using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>Field names of Slardar's upstream JSON.</summary>
internal static class UpstreamFields
{
    // Top level.
    public const string Servers = "servers";
    public const string Cluster = "cluster";
    public const string Try = "try";
    public const string TryTimeout = "try_timeout";
    public const string NextUpstream = "next_upstream";
    public const string Enable = "enable";
    public const string Timeout = "timeout";
    public const string Mode = "mode";
    public const string Outlier = "outlier";

    /// <summary>Peers from Consul's passing instances of this service instead of servers/cluster.</summary>
    public const string ConsulService = "consul_service";

    // TLS to the peers.
    public const string Scheme = "scheme";
    public const string Sni = "sni";
    public const string Ca = "ca";
    public const string Verify = "verify";

    /// <summary>HTTP/2 to the peers: by ALPN over TLS, h2c (prior knowledge) over plain TCP.</summary>
    public const string Http2 = "http2";

    // Peer (server) level.
    public const string Host = "host";
    public const string Port = "port";
    public const string Weight = "weight";
    public const string MaxFails = "max_fails";
    public const string FailTimeout = "fail_timeout";

    // Outlier detection (inside "outlier"); "enable" is shared with the top level.
    public const string Window = "window";
    public const string MinRequests = "min_requests";
    public const string Factor = "factor";
    public const string Consecutive5xx = "consecutive_5xx";
    public const string MaxEjectionPercent = "max_ejection_percent";
    public const string BaseEjectionTime = "base_ejection_time";
    public const string MaxEjectionTime = "max_ejection_time";
    public const string PanicThreshold = "panic_threshold";
}
