using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Checkups.Outliers;

/// <summary>
/// Ejects peers whose answers are abnormal (the seed's automatic removal of abnormal machines),
/// in the spirit of Envoy's outlier detection but with its small-cluster surprises defined away.
/// Runs when the owner calls <see cref="UpstreamState.EvaluateOutliers"/> (once per checkups
/// interval), under the upstream's lock. Exact rules, over the upstream's distinct peers
/// (host:port, all levels):
/// <list type="number">
/// <item><b>Counting.</b> Every <see cref="UpstreamState.Feedback"/> adds a request to the peer's
/// window (<c>window</c>, default 30 s, as 10 buckets); it is an <i>error</i> if the status is
/// 500–599, or if there was no status and the try failed (connect error, timeout: no answer at all).
/// Outcomes reported while the peer is ejected are not counted.</item>
/// <item><b>Decay.</b> First, each peer not ejected loses one from its ejection count for every
/// whole <c>base_ejection_time</c> since its last ejection ended.</item>
/// <item><b>Consecutive rule</b> (any number of peers): a peer with <c>consecutive_5xx</c>
/// (default 5; 0 = off) errors in a row at any moment since the previous evaluation is a candidate.</item>
/// <item><b>Rate rule</b>: the <i>eligible</i> peers are those not ejected with at least
/// <c>min_requests</c> (default 20) requests in the window; with fewer than 3 eligible peers the
/// rule does nothing. An eligible peer with error rate x is a candidate when
/// x − μ &gt; <c>factor</c> × max(σ, 0.05), where μ and σ are the mean and population standard
/// deviation of the rates of the <i>other</i> eligible peers (<c>factor</c> default 3). Only rates
/// above the mean count: a peer with fewer errors than the others is never ejected.</item>
/// <item><b>Cap</b>: with N distinct peers and E of them still ejected, at most
/// C − E candidates are ejected, where C = min(⌊N × <c>max_ejection_percent</c> / 100⌋, N − 1)
/// (default 50%). Rounding down and the N − 1 bound mean a 1-peer upstream is never ejected, a
/// 2-peer one has at most 1 peer out, and no percentage ever takes every peer. The cap is applied
/// before anyone is ejected (unlike Envoy #27066), highest error rate first, then level order.</item>
/// <item><b>Duration</b>: the k-th ejection (k after decay, +1) lasts
/// min(<c>base_ejection_time</c> × k, <c>max_ejection_time</c>) (defaults 30 s and 300 s); k stops
/// growing once that reaches the maximum. An ejection always ends by itself (or earlier, when the
/// active check sees the peer recover: <see cref="UpstreamState.EndEjectionOnRecovery"/>); the
/// peer's window and run start afresh.</item>
/// <item><b>Panic</b> (applied by selection, per level): when fewer than <c>panic_threshold</c>
/// percent (default 50; 0 = off) of a level's peers are usable (not passive-down and not ejected),
/// ejections are ignored in that level. Passive-down peers stay out: that mechanism already keeps
/// the last usable peer.</item>
/// </list>
/// Why μ and σ leave the peer out: with them taken over all peers, one outlier among n can be at
/// most √(n−1) standard deviations above the mean, so a factor of 3 could never eject anything
/// below 11 peers, and 3 peers with one at 50% errors would never be caught. The σ floor of 0.05
/// keeps a few stray errors (others all at 0%, σ = 0) from ejecting: the gap must exceed
/// factor × 5 percentage points (15 with the default factor).
/// </summary>
internal static class OutlierDetector
{
    /// <summary>Fewest eligible peers for the rate rule: a mean and deviation of the others need two.</summary>
    public const int MinPeersForRate = 3;

    /// <summary>Floor under σ, as a rate (5 percentage points).</summary>
    public const double MinDeviation = 0.05;

    public static IReadOnlyList<OutlierEjection> Evaluate(
        string upstream, ImmutableArray<PeerState> peers, OutlierOptions options, long now, long frequency)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled || peers.IsEmpty)
        {
            return [];
        }

        var bucketWidth = BucketWidth(options.Window, frequency);
        var baseUnits = ToUnits(options.BaseEjectionTime, frequency);
        var stats = new PeerStats[peers.Length];
        int ejected = 0, eligible = 0;
        double sum = 0, sumOfSquares = 0;
        for (var i = 0; i < peers.Length; i++)
        {
            var outlier = peers[i].Outlier;
            outlier.DecayMultiplier(now, baseUnits);
            if (outlier.IsEjected(now))
            {
                stats[i] = new PeerStats(Ejected: true, Tripped: false, Requests: 0, Rate: 0);
                ejected++;
                continue;
            }

            var (requests, errors) = outlier.CountWindow(now, bucketWidth);
            outlier.Publish(requests, errors);
            var rate = requests == 0 ? 0 : (double)errors / requests;
            stats[i] = new PeerStats(Ejected: false, outlier.TakeTripped(), requests, rate);
            if (requests >= options.MinRequests)
            {
                eligible++;
                sum += rate;
                sumOfSquares += rate * rate;
            }
        }

        List<(int Index, OutlierEjectionReason Reason)>? candidates = null;
        for (var i = 0; i < peers.Length; i++)
        {
            var s = stats[i];
            if (s.Ejected)
            {
                continue;
            }

            var byRate = eligible >= MinPeersForRate
                && s.Requests >= options.MinRequests
                && IsRateOutlier(s.Rate, sum, sumOfSquares, eligible, options.Factor);
            if (s.Tripped || byRate)
            {
                (candidates ??= []).Add((i, s.Tripped ? OutlierEjectionReason.Consecutive5xx : OutlierEjectionReason.ErrorRate));
            }
        }

        var room = MaxEjected(peers.Length, options.MaxEjectionPercent) - ejected;
        if (candidates is null || room <= 0)
        {
            return [];
        }

        candidates.Sort((a, b) => stats[a.Index].Rate != stats[b.Index].Rate
            ? stats[b.Index].Rate.CompareTo(stats[a.Index].Rate)
            : a.Index.CompareTo(b.Index));

        var maxMultiplier = (int)Math.Min(int.MaxValue, Math.Ceiling(options.MaxEjectionTime / options.BaseEjectionTime));
        var ejections = new List<OutlierEjection>(Math.Min(room, candidates.Count));
        foreach (var (index, reason) in candidates.Take(room))
        {
            var outlier = peers[index].Outlier;
            var count = Math.Min(outlier.EjectionCount + 1, maxMultiplier);
            var duration = TimeSpan.FromTicks(Math.Min(options.BaseEjectionTime.Ticks * count, options.MaxEjectionTime.Ticks));
            outlier.Eject(now + ToUnits(duration, frequency), count);
            ejections.Add(new OutlierEjection(upstream, peers[index], reason, stats[index].Rate, stats[index].Requests, count, duration));
        }

        return ejections;
    }

    /// <summary>The cap C = min(⌊n × percent / 100⌋, n − 1).</summary>
    public static int MaxEjected(int peers, int maxEjectionPercent) =>
        (int)Math.Min((long)peers * maxEjectionPercent / 100, peers - 1);

    /// <summary>The rate rule for one peer, given the sums over all eligible peers (it included).</summary>
    public static bool IsRateOutlier(double rate, double sum, double sumOfSquares, int eligible, double factor)
    {
        var others = eligible - 1;
        var mean = (sum - rate) / others;
        var variance = Math.Max(0, ((sumOfSquares - (rate * rate)) / others) - (mean * mean));
        return rate - mean > factor * Math.Max(Math.Sqrt(variance), MinDeviation);
    }

    /// <summary>window / <see cref="PeerOutlier.Buckets"/> in timestamp units, at least 1.</summary>
    public static long BucketWidth(TimeSpan window, long frequency) =>
        Math.Max(1, ToUnits(window, frequency) / PeerOutlier.Buckets);

    public static long ToUnits(TimeSpan span, long frequency) => (long)(span.TotalSeconds * frequency);

    private readonly record struct PeerStats(bool Ejected, bool Tripped, int Requests, double Rate);
}
