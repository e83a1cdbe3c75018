namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// Where an upstream defined by <c>consul_service</c> gets its peers. The catalog asks it to fill
/// the peers in whenever it publishes such an upstream, and republishes when it reports a change.
/// </summary>
internal interface IServicePeerSource
{
    /// <summary>Null when service discovery works here; otherwise why a <c>consul_service</c> upstream is refused.</summary>
    string? Unavailable { get; }

    /// <summary>Raised with a service name when its peers changed (on a background thread).</summary>
    event Action<string>? PeersChanged;

    /// <summary>
    /// <paramref name="config"/> with the service's current peers as its one level (no level while
    /// none is known), and the service followed from now on. Other upstreams come back unchanged.
    /// </summary>
    UpstreamConfig Resolve(UpstreamConfig config);

    /// <summary>The upstream no longer uses a service (deleted, or redefined with servers).</summary>
    void Release(string upstream);
}
