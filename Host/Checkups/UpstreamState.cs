using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// Live state of one generation of an upstream: peer selection (nginx smooth weighted round robin,
/// level by level) and passive health feedback. A config edit creates a new generation that
/// shares the previous one's lock and the health of every peer (host:port) that stays.
/// </summary>
internal sealed class UpstreamState
{
    private readonly TimeProvider _timeProvider;

    // Shared across generations so health (also shared) is never mutated under two different locks.
    private readonly Lock _lock;

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
        if (previous is not null)
        {
            ReviveIfNoneUsable();
        }
    }

    public string Name => Config.Name;

    public UpstreamConfig Config { get; }

    public ImmutableArray<ImmutableArray<PeerState>> Levels { get; }

    /// <summary>
    /// Picks the next peer by nginx's smooth weighted round robin among the usable peers of the first
    /// level that has any, skipping <paramref name="exclude"/> (peers already tried by this request).
    /// Returns null when no peer is usable and untried. Allocation-free.
    /// </summary>
    public PeerState? SelectPeer(IReadOnlyList<PeerState>? exclude = null)
    {
        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            foreach (var level in Levels)
            {
                if (SelectInLevel(level, exclude, now) is { } peer)
                {
                    return peer;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Reports the outcome of a request to <paramref name="peer"/>. A success clears its failure
    /// count. A failure (when max_fails &gt; 0) lowers its effective weight by weight/max_fails, as
    /// nginx does, and counts; reaching max_fails within fail_timeout of the previous failure takes
    /// it out for fail_timeout, unless it is the last usable peer of the upstream (all levels).
    /// </summary>
    public void Feedback(PeerState peer, bool failed)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
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

    private static PeerState? SelectInLevel(ImmutableArray<PeerState> peers, IReadOnlyList<PeerState>? exclude, long now)
    {
        PeerState? best = null;
        long total = 0;
        foreach (var peer in peers)
        {
            if (!peer.IsUsable(now) || IsExcluded(peer, exclude))
            {
                continue;
            }

            peer.CurrentWeight += peer.EffectiveWeight;
            total += peer.EffectiveWeight;
            if (peer.EffectiveWeight < peer.Config.Weight)
            {
                peer.EffectiveWeight++;
            }

            if (best is null || peer.CurrentWeight > best.CurrentWeight)
            {
                best = peer;
            }
        }

        if (best is not null)
        {
            best.CurrentWeight -= total;
        }

        return best;
    }

    // Compared by health and level as well as by reference: health outlives generations, so a peer
    // tried before a config edit is still recognised after it; the level is part of the key because
    // checkups lets a request try the same host again when a backup level lists it.
    private static bool IsExcluded(PeerState peer, IReadOnlyList<PeerState>? exclude)
    {
        if (exclude is null)
        {
            return false;
        }

        for (var i = 0; i < exclude.Count; i++)
        {
            var tried = exclude[i];
            if (ReferenceEquals(tried, peer) || (ReferenceEquals(tried.Health, peer.Health) && tried.Level == peer.Level))
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

    private long ToTimestampUnits(TimeSpan span)
    {
        var units = span.TotalSeconds * _timeProvider.TimestampFrequency;
        return units >= long.MaxValue ? long.MaxValue : (long)units;
    }

    private static long AddSaturating(long timestamp, long units) =>
        timestamp > long.MaxValue - units ? long.MaxValue : timestamp + units;
}
