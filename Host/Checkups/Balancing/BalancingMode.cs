namespace Slardar.Scriptable.Host.Checkups.Balancing;

/// <summary>How a peer is picked inside one level (an upstream's <c>mode</c>).</summary>
internal enum BalancingMode
{
    /// <summary>nginx's smooth weighted round robin; <c>mode</c> absent, <c>""</c>, <c>"rr"</c> or <c>"wrr"</c>.</summary>
    RoundRobin = 0,

    /// <summary>Consistent hash of a key the caller gives (a script); the URI path when it gives none.</summary>
    Hash,

    /// <summary>Consistent hash of the request's URI path.</summary>
    UrlHash,

    /// <summary>Consistent hash of the client's IP address.</summary>
    IpHash,

    /// <summary>Consistent hash of the <c>X-Hash-Key</c> request header, or of the URI path without one.</summary>
    HeaderHash,

    /// <summary>Fewest in-flight requests per unit of weight.</summary>
    LeastConn,

    /// <summary>Lowest peak-EWMA latency × (in-flight + 1) / weight.</summary>
    Ewma,
}
