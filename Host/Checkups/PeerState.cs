using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Host.Checkups.Outliers;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// Live state of one peer in one generation of an upstream: its config, nginx's smooth weighted
/// round robin weights, and its (generation-independent) passive health, load and outlier state.
/// The read-only properties below are what /status and metrics show; all read without locks.
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
        DestinationPrefix = "http://" + Address;
        EndPoint = PeerEndPoint.For(config.Host, config.Port);
        EffectiveWeight = config.Weight;
    }

    public PeerConfig Config { get; }

    /// <summary>Index of the level (cluster entry) this peer belongs to, 0 first.</summary>
    public int Level { get; }

    /// <summary>"host:port", computed once.</summary>
    public string Address { get; }

    /// <summary>"http://host:port", what the forwarder needs per try, built once.</summary>
    public string DestinationPrefix { get; }

    /// <summary>What a connect to the peer dials, parsed once (<see cref="PeerEndPoint.For"/>).</summary>
    public System.Net.EndPoint EndPoint { get; }

    public string Host => Config.Host;

    public int Port => Config.Port;

    /// <summary>Shared with the same host:port in other generations and levels of the upstream.</summary>
    public PeerHealth Health { get; }

    public int Failures => Health.Failures;

    /// <summary>Timestamp until which passive health keeps the peer out, or null.</summary>
    public long? DownUntil => Health.DownUntil;

    public PeerLoad Load => Health.Load;

    public PeerOutlier Outlier => Health.Outlier;

    /// <summary>Requests selected for this peer (any level) and not yet reported back.</summary>
    public int InFlight => Health.Load.InFlight;

    /// <summary>Peak-EWMA response latency in milliseconds as of the last answer, or null before the first.</summary>
    public double? EwmaMilliseconds => Health.Load.EwmaSeconds * 1000;

    /// <summary>Timestamp the current or last outlier ejection ends, or null if never ejected.</summary>
    public long? EjectedUntil => Health.Outlier.EjectedUntil;

    /// <summary>The ejection-duration multiplier: times ejected, decayed while healthy.</summary>
    public int EjectionCount => Health.Outlier.EjectionCount;

    /// <summary>5xx rate (0..1) in the outlier window, as of the last evaluation.</summary>
    public double ErrorRate => Health.Outlier.ErrorRate;

    /// <summary>Requests in the outlier window, as of the last evaluation.</summary>
    public int WindowRequests => Health.Outlier.WindowRequests;

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

    /// <summary>True while outlier detection keeps the peer out (selection may still use it in panic).</summary>
    /// <param name="timestamp">A <see cref="TimeProvider.GetTimestamp"/> value of the upstream's clock.</param>
    public bool IsEjected(long timestamp) => Health.Outlier.IsEjected(timestamp);

    public override string ToString() => Address;
}
