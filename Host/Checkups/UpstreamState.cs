using System.Collections.Immutable;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Host.Checkups.Outliers;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// Live state of one generation of an upstream: peer selection level by level (the per-mode
/// choice inside a level is in <c>Balancing/</c>), passive health feedback, in-flight and
/// latency accounting, and outlier evaluation. A config edit creates a new generation that shares
/// the previous one's lock and the health, load and outlier state of every peer (host:port) that
/// stays; consistent-hash rings are built once per generation.
/// </summary>
internal sealed class UpstreamState
{
    private readonly TimeProvider _timeProvider;

    // Shared across generations so health (also shared) is never mutated under two different locks.
    private readonly Lock _lock;

    // One ring per level, only in the hashing modes; immutable, so read under the lock without copying.
    private readonly ConsistentHashRing[]? _rings;

    // PeerLoad.DecayTime and the outlier bucket width, in this clock's timestamp units.
    private readonly double _decayUnits;
    private readonly long _bucketWidth;

    // No peer of this upstream is ejected at or after this timestamp (under _lock): until an ejection
    // happens, a pick skips the panic check's scan of the level. Only ever raised, so it may be late, never early.
    private long _ejectionsEndBy;

    public UpstreamState(UpstreamConfig config, TimeProvider timeProvider, UpstreamState? previous = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (previous is not null && !string.Equals(previous.Name, config.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Previous generation is of upstream '{previous.Name}', not '{config.Name}'.", nameof(previous));
        }

        Config = config;
        _timeProvider = timeProvider;
        _lock = previous?._lock ?? new Lock();
        Levels = CreateLevels(config, previous);
        DistinctPeers = CreateDistinctPeers(Levels);
        _decayUnits = PeerLoad.DecayTime.TotalSeconds * timeProvider.TimestampFrequency;
        _bucketWidth = OutlierDetector.BucketWidth(config.Outlier.Window, timeProvider.TimestampFrequency);
        if (config.Mode.IsHashing())
        {
            _rings = new ConsistentHashRing[Levels.Length];
            for (var i = 0; i < Levels.Length; i++)
            {
                _rings[i] = new ConsistentHashRing(Levels[i]);
            }
        }

        if (previous is not null)
        {
            ReviveIfNoneUsable();
        }

        // Health (and so a running ejection) carries over from the previous generation.
        _ejectionsEndBy = LatestEjectionEnd();
    }

    public string Name => Config.Name;

    public UpstreamConfig Config { get; }

    public ImmutableArray<ImmutableArray<PeerState>> Levels { get; }

    /// <summary>Each host:port once (its first entry in level order): what outlier detection counts.</summary>
    public ImmutableArray<PeerState> DistinctPeers { get; }

    /// <summary>
    /// Round robin (or the upstream's mode) over every level, skipping <paramref name="exclude"/>.
    /// Same as <see cref="SelectPeer(in PeerSelection)"/> without a key or cluster keys.
    /// </summary>
    public PeerState? SelectPeer(IReadOnlyList<PeerState>? exclude = null) => SelectPeer(new PeerSelection(exclude));

    /// <summary>
    /// Picks a peer from the first level (in <see cref="PeerSelection.ClusterKeys"/> order, or all
    /// levels in order) that has one that may be used: not passive-down, not ejected (unless the
    /// level is in panic), not in <see cref="PeerSelection.Exclude"/>. Inside a level the upstream's
    /// <see cref="UpstreamConfig.Mode"/> chooses; a hashing mode without a key uses round robin.
    /// Returns null when there is no such peer. The chosen peer's in-flight count goes up:
    /// <b>every non-null result must be answered by exactly one <see cref="Feedback"/> or
    /// <see cref="Release"/></b>. Allocation-free.
    /// </summary>
    public PeerState? SelectPeer(in PeerSelection selection)
    {
        var now = _timeProvider.GetTimestamp();
        var hashed = _rings is not null && selection.HashKey is not null;
        var keyHash = hashed ? KeyHash.Hash(selection.HashKey!) : 0;
        lock (_lock)
        {
            var peer = selection.ClusterKeys is { } keys
                ? SelectInKeyedLevels(keys, selection.Exclude, hashed, keyHash, now)
                : SelectInLevels(selection.Exclude, hashed, keyHash, now);
            peer?.Load.Enter();
            return peer;
        }
    }

    /// <summary>
    /// Reports the outcome of a try on <paramref name="peer"/> (one per <see cref="SelectPeer(in PeerSelection)"/>):
    /// <list type="bullet">
    /// <item>ends one in-flight request (never below zero, so a doubled report is harmless);</item>
    /// <item><paramref name="elapsed"/> (when given) is a latency sample for the EWMA; a failed try
    /// never lowers it, since failing fast is no sign of a fast peer;</item>
    /// <item><paramref name="status"/> feeds outlier detection: 500–599, or 0 with
    /// <paramref name="failed"/> (no answer), is an error;</item>
    /// <item>passive health: a success clears the failure count. A failure (when max_fails &gt; 0)
    /// lowers the effective weight by weight/max_fails, as nginx does, and counts; reaching
    /// max_fails within fail_timeout of the previous failure takes the peer out for fail_timeout,
    /// unless it is the last usable peer of the upstream (all levels).</item>
    /// </list>
    /// </summary>
    public void Feedback(PeerState peer, bool failed, int status = 0, TimeSpan elapsed = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (_lock)
        {
            peer.Load.Leave();
            RecordOutcome(peer, failed, status, elapsed);
        }
    }

    /// <summary>
    /// Records an outcome without ending a selection: for feedback given by address, such as a
    /// balancer script's <c>Checkups.Feedback</c> about an earlier try (balancer_by_lua's
    /// feedback_status), whose in-flight slot the proxy already freed.
    /// </summary>
    public void Report(PeerState peer, bool failed, int status = 0)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (_lock)
        {
            RecordOutcome(peer, failed, status, elapsed: default);
        }
    }

    // Called under _lock.
    private void RecordOutcome(PeerState peer, bool failed, int status, TimeSpan elapsed)
    {
        var now = _timeProvider.GetTimestamp();
        RecordLatency(peer, failed, elapsed, now);
        if (Config.Outlier.Enabled)
        {
            var error = status is >= 500 and <= 599 || (status == 0 && failed);
            peer.Outlier.Record(error, now, _bucketWidth, Config.Outlier.Consecutive5xx);
        }

        if (!failed)
        {
            peer.Health.RecordSuccess();
            return;
        }

        var config = peer.Config;
        if (config.MaxFails == 0)
        {
            return;
        }

        // nginx's rule rather than checkups' ew = ceil(ew / 2): the peer earns one point back per
        // selection, so a flapping peer gets proportionally less traffic.
        peer.EffectiveWeight = Math.Max(0, peer.EffectiveWeight - (config.Weight / config.MaxFails));

        var window = ToTimestampUnits(config.FailTimeout);
        var failures = peer.Health.RecordFailure(now, window);
        if (failures >= config.MaxFails && HasOtherUsablePeer(peer, now))
        {
            peer.Health.MarkDown(AddSaturating(now, window));
        }
    }

    /// <summary>
    /// Takes an in-flight slot on a peer chosen by name rather than by <see cref="SelectPeer(in PeerSelection)"/>
    /// (a script calling a peer it names); answered like a selection, by one <see cref="Feedback"/> or <see cref="Release"/>.
    /// </summary>
    public void Acquire(PeerState peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (_lock)
        {
            peer.Load.Enter();
        }
    }

    /// <summary>
    /// Ends a try that has no verdict on the peer (the caller gave up, the client went away): frees
    /// its in-flight slot and records nothing else. Counts as the one answer to its selection.
    /// </summary>
    public void Release(PeerState peer)
    {
        ArgumentNullException.ThrowIfNull(peer);

        // Atomic on its own; under the lock only so selection never sees a count change mid-choice.
        lock (_lock)
        {
            peer.Load.Leave();
        }
    }

    /// <summary>
    /// Applies the outlier rules (see <see cref="OutlierDetector"/>) and returns the peers ejected
    /// by this call, for the caller to log and count. Meant to run once per checkups interval.
    /// </summary>
    public IReadOnlyList<OutlierEjection> EvaluateOutliers()
    {
        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            var ejections = OutlierDetector.Evaluate(Name, DistinctPeers, Config.Outlier, now, _timeProvider.TimestampFrequency);
            if (ejections.Count > 0)
            {
                _ejectionsEndBy = Math.Max(_ejectionsEndBy, LatestEjectionEnd());
            }

            return ejections;
        }
    }

    /// <summary>
    /// The active check saw <paramref name="peer"/> recover (err or unstable to ok): an outlier
    /// ejection earned while it was down ends now, as Envoy's <c>successful_active_health_check_uneject_host</c>,
    /// rather than keeping a peer that is back out for the rest of its ejection. Only a recovery
    /// counts: a passing connect check of a peer that answers 5xx proves nothing about its answers.
    /// Returns whether an ejection ended.
    /// </summary>
    public bool EndEjectionOnRecovery(PeerState peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            return peer.Health.Outlier.EndEjection(now);
        }
    }

    /// <summary>Whether outlier detection currently keeps <paramref name="peer"/> out.</summary>
    public bool IsEjected(PeerState peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return Config.Outlier.Enabled && peer.IsEjected(_timeProvider.GetTimestamp());
    }

    /// <summary>Peers in the levels <paramref name="clusterKeys"/> choose (each level once), or in all levels.</summary>
    public int PeerCount(IReadOnlyList<string>? clusterKeys = null)
    {
        if (clusterKeys is null)
        {
            var all = 0;
            foreach (var level in Levels)
            {
                all += level.Length;
            }

            return all;
        }

        var count = 0;
        for (var i = 0; i < clusterKeys.Count; i++)
        {
            var index = Config.IndexOfLevel(clusterKeys[i]);
            if (index >= 0 && !KeyedEarlier(clusterKeys, i, index))
            {
                count += Levels[index].Length;
            }
        }

        return count;
    }

    public bool IsUsable(PeerState peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return peer.IsUsable(_timeProvider.GetTimestamp());
    }

    /// <summary>The first peer (in level order) at host:port, for feedback given by address.</summary>
    public PeerState? FindPeer(string host, int port)
    {
        foreach (var level in Levels)
        {
            foreach (var peer in level)
            {
                if (peer.Port == port && string.Equals(peer.Host, host, StringComparison.OrdinalIgnoreCase))
                {
                    return peer;
                }
            }
        }

        return null;
    }

    private PeerState? SelectInLevels(IReadOnlyList<PeerState>? exclude, bool hashed, uint keyHash, long now)
    {
        for (var i = 0; i < Levels.Length; i++)
        {
            if (SelectInLevel(i, exclude, hashed, keyHash, now) is { } peer)
            {
                return peer;
            }
        }

        return null;
    }

    private PeerState? SelectInKeyedLevels(IReadOnlyList<string> keys, IReadOnlyList<PeerState>? exclude, bool hashed, uint keyHash, long now)
    {
        for (var k = 0; k < keys.Count; k++)
        {
            var index = Config.IndexOfLevel(keys[k]);
            if (index >= 0 && SelectInLevel(index, exclude, hashed, keyHash, now) is { } peer)
            {
                return peer;
            }
        }

        return null;
    }

    private PeerState? SelectInLevel(int index, IReadOnlyList<PeerState>? exclude, bool hashed, uint keyHash, long now)
    {
        var peers = Levels[index];
        var filter = new PeerFilter(exclude, now, HonoursEjections(peers, now));
        return Config.Mode switch
        {
            BalancingMode.LeastConn => LeastConnSelector.Select(peers, filter),
            BalancingMode.Ewma => EwmaSelector.Select(peers, filter, _decayUnits),
            _ when hashed => _rings![index].Select(keyHash, filter),
            _ => SmoothWeightedRoundRobin.Select(peers, filter),
        };
    }

    // Panic (Envoy's): below panic_threshold percent of the level usable, ejections are ignored so
    // traffic spreads over every peer instead of piling onto the few left.
    private bool HonoursEjections(ImmutableArray<PeerState> peers, long now)
    {
        var options = Config.Outlier;
        if (!options.Enabled)
        {
            return false;
        }

        if (now >= _ejectionsEndBy)
        {
            // Nobody is ejected: honouring ejections excludes nobody, so skip the scan.
            return true;
        }

        int usable = 0, ejected = 0;
        foreach (var peer in peers)
        {
            if (peer.IsEjected(now))
            {
                ejected++;
            }
            else if (peer.IsUsable(now))
            {
                usable++;
            }
        }

        return ejected == 0 || (long)usable * 100 >= (long)options.PanicThreshold * peers.Length;
    }

    private long LatestEjectionEnd()
    {
        var latest = 0L;
        foreach (var peer in DistinctPeers)
        {
            if (peer.EjectedUntil is { } until && until > latest)
            {
                latest = until;
            }
        }

        return latest;
    }

    private void RecordLatency(PeerState peer, bool failed, TimeSpan elapsed, long now)
    {
        if (elapsed <= TimeSpan.Zero)
        {
            return;
        }

        var seconds = elapsed.TotalSeconds;
        if (failed && peer.Load.EwmaSeconds is { } current && current > seconds)
        {
            seconds = current;
        }

        peer.Load.Record(seconds, now, _decayUnits);
    }

    private bool KeyedEarlier(IReadOnlyList<string> keys, int position, int index)
    {
        for (var i = 0; i < position; i++)
        {
            if (Config.IndexOfLevel(keys[i]) == index)
            {
                return true;
            }
        }

        return false;
    }

    private bool HasOtherUsablePeer(PeerState peer, long now)
    {
        foreach (var level in Levels)
        {
            foreach (var other in level)
            {
                if (!ReferenceEquals(other.Health, peer.Health) && other.IsUsable(now))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // Peers were taken out while others were usable; if an edit removed all of those, the rule that
    // the last usable peer stays in means these come back rather than the upstream going dark.
    private void ReviveIfNoneUsable()
    {
        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            foreach (var level in Levels)
            {
                foreach (var peer in level)
                {
                    if (peer.IsUsable(now))
                    {
                        return;
                    }
                }
            }

            foreach (var level in Levels)
            {
                foreach (var peer in level)
                {
                    peer.Health.Revive();
                }
            }
        }
    }

    private static ImmutableArray<ImmutableArray<PeerState>> CreateLevels(UpstreamConfig config, UpstreamState? previous)
    {
        // Health by host:port (hosts are case-insensitive); a peer listed twice shares one health.
        var healthByAddress = new Dictionary<string, PeerHealth>(StringComparer.OrdinalIgnoreCase);
        if (previous is not null)
        {
            foreach (var level in previous.Levels)
            {
                foreach (var peer in level)
                {
                    healthByAddress.TryAdd(peer.Address, peer.Health);
                }
            }
        }

        var survivors = new Dictionary<string, PeerHealth>(StringComparer.OrdinalIgnoreCase);
        var levels = ImmutableArray.CreateBuilder<ImmutableArray<PeerState>>(config.Levels.Length);
        for (var levelIndex = 0; levelIndex < config.Levels.Length; levelIndex++)
        {
            var servers = config.Levels[levelIndex].Servers;
            var peers = ImmutableArray.CreateBuilder<PeerState>(servers.Length);
            foreach (var server in servers)
            {
                var address = server.Address;
                if (!survivors.TryGetValue(address, out var health))
                {
                    health = healthByAddress.GetValueOrDefault(address) ?? new PeerHealth();
                    survivors.Add(address, health);
                }

                peers.Add(new PeerState(server, levelIndex, health));
            }

            levels.Add(peers.MoveToImmutable());
        }

        return levels.MoveToImmutable();
    }

    private static ImmutableArray<PeerState> CreateDistinctPeers(ImmutableArray<ImmutableArray<PeerState>> levels)
    {
        var seen = new HashSet<PeerHealth>(ReferenceEqualityComparer.Instance);
        var distinct = ImmutableArray.CreateBuilder<PeerState>();
        foreach (var level in levels)
        {
            foreach (var peer in level)
            {
                if (seen.Add(peer.Health))
                {
                    distinct.Add(peer);
                }
            }
        }

        return distinct.ToImmutable();
    }

    /// <summary>The peer's passive failures that still count at <paramref name="now"/> (for /status).</summary>
    public int FailuresAt(PeerState peer, long now) => peer.Health.FailuresAt(now, ToTimestampUnits(peer.Config.FailTimeout));

    private long ToTimestampUnits(TimeSpan span)
    {
        var units = span.TotalSeconds * _timeProvider.TimestampFrequency;
        return units >= long.MaxValue ? long.MaxValue : (long)units;
    }

    private static long AddSaturating(long timestamp, long units) =>
        timestamp > long.MaxValue - units ? long.MaxValue : timestamp + units;
}
