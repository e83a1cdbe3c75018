namespace Slardar.Scriptable.Host.Checkups.Balancing;

/// <summary>
/// In-flight requests and peak-EWMA latency of one (upstream, host:port), for least_conn and ewma
/// and for /status. Kept with the peer's health, so it survives config edits like the health does
/// (a request that started before an edit still ends on this count). Written under the owning
/// upstream's lock, except the in-flight count, which is atomic; every property reads without it.
/// </summary>
internal sealed class PeerLoad
{
    /// <summary>
    /// Time constant of the EWMA (APISIX's 10 s): a sample's weight halves every ~7 s, and a peer
    /// nobody has asked for a while looks better and better until it is given another chance.
    /// </summary>
    public static readonly TimeSpan DecayTime = TimeSpan.FromSeconds(10);

    private const long NeverSampled = long.MinValue;

    private int _inFlight;
    private long _ewmaBits;
    private long _sampledAt = NeverSampled;

    /// <summary>Requests selected for this peer whose outcome has not been reported yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Latency EWMA in seconds as of the last sample (not decayed), or null before the first.</summary>
    public double? EwmaSeconds => Volatile.Read(ref _sampledAt) == NeverSampled
        ? null
        : BitConverter.Int64BitsToDouble(Volatile.Read(ref _ewmaBits));

    public void Enter() => Interlocked.Increment(ref _inFlight);

    /// <summary>Ends one in-flight request; never goes below zero, so a doubled report does no harm.</summary>
    public void Leave()
    {
        var current = Volatile.Read(ref _inFlight);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _inFlight, current - 1, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>
    /// Adds a latency sample. Peak-sensitive (Finagle/Linkerd/APISIX): a sample above the average
    /// replaces it at once, so a slowdown is seen on the first slow answer; a faster sample pulls the
    /// average down by the time since the previous sample, so recovery is gradual.
    /// </summary>
    /// <param name="seconds">The sample.</param>
    /// <param name="now">Current timestamp.</param>
    /// <param name="decayUnits"><see cref="DecayTime"/> in timestamp units.</param>
    public void Record(double seconds, long now, double decayUnits)
    {
        var last = Volatile.Read(ref _sampledAt);
        var ewma = seconds;
        if (last != NeverSampled)
        {
            var previous = BitConverter.Int64BitsToDouble(Volatile.Read(ref _ewmaBits));
            if (seconds < previous)
            {
                var keep = Math.Exp(-Math.Max(0, now - last) / decayUnits);
                ewma = (previous * keep) + (seconds * (1 - keep));
            }
        }

        Volatile.Write(ref _ewmaBits, BitConverter.DoubleToInt64Bits(ewma));
        Volatile.Write(ref _sampledAt, now);
    }

    /// <summary>
    /// The EWMA decayed towards zero by the time since the last sample (APISIX), or a negative value
    /// when there is no sample yet.
    /// </summary>
    public double Decayed(long now, double decayUnits)
    {
        var last = Volatile.Read(ref _sampledAt);
        if (last == NeverSampled)
        {
            return -1;
        }

        var ewma = BitConverter.Int64BitsToDouble(Volatile.Read(ref _ewmaBits));
        return ewma * Math.Exp(-Math.Max(0, now - last) / decayUnits);
    }
}
