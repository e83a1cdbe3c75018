namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// Live state of one peer in one generation of an upstream: its config, nginx's smooth weighted
/// round robin weights, and its (generation-independent) passive health.
/// </summary>
internal sealed class PeerState
{
    public PeerState(PeerConfig config, int level, PeerHealth health)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(health);
        Config = config;
        Level = level;
        Health = health;
        Address = config.Address;
        EffectiveWeight = config.Weight;
    }

    public PeerConfig Config { get; }

    /// <summary>Index of the level (cluster entry) this peer belongs to, 0 first.</summary>
    public int Level { get; }

    /// <summary>"host:port", computed once.</summary>
    public string Address { get; }

    public string Host => Config.Host;

    public int Port => Config.Port;

    /// <summary>Shared with the same host:port in other generations and levels of the upstream.</summary>
    public PeerHealth Health { get; }

    public int Failures => Health.Failures;

    // Smooth WRR state (nginx's current_weight and effective_weight); only touched under the
    // owning UpstreamState's lock. A new generation starts afresh, as an nginx reload does.
    public long CurrentWeight { get; set; }

    public int EffectiveWeight { get; set; }

    /// <summary>
    /// False while the peer is taken out by passive health checks or its active status is err
    /// (unstable is usable, as in checkups).
    /// </summary>
    /// <param name="timestamp">A <see cref="TimeProvider.GetTimestamp"/> value of the upstream's clock.</param>
    public bool IsUsable(long timestamp) => !Health.IsDown(timestamp) && Health.Active.IsUsable;

    public override string ToString() => Address;
}
