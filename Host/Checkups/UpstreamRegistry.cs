using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Slardar.Scriptable.Host.Checkups.Outliers;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// The live upstreams by name. Readers use an immutable snapshot swapped atomically, so the request
/// path never locks here; writers serialise on a private lock. Names compare case-insensitively
/// because an upstream named after a host serves that host, and host names are case-insensitive.
/// </summary>
internal sealed class UpstreamRegistry
{
    private readonly TimeProvider _timeProvider;
    private readonly Lock _writeLock = new();
    private FrozenDictionary<string, UpstreamState> _upstreams = Freeze([]);

    public UpstreamRegistry(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    public IReadOnlyCollection<UpstreamState> All => Volatile.Read(ref _upstreams).Values;

    public bool TryGet(string name, [NotNullWhen(true)] out UpstreamState? upstream)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Volatile.Read(ref _upstreams).TryGetValue(name, out upstream);
    }

    /// <summary>
    /// The upstream that lists host:port as a server, and its entry there: <paramref name="preferred"/>
    /// when it lists it, else the first that does. For code that names a peer (a content script's
    /// call, a preread script's <c>SetCurrentPeer</c>): only listed peers are reached, and their tries
    /// count where the peer is listed.
    /// </summary>
    public (UpstreamState Upstream, PeerState Peer)? FindListing(string host, int port, string? preferred = null)
    {
        if (preferred is not null && TryGet(preferred, out var first) && first.FindPeer(host, port) is { } inPreferred)
        {
            return (first, inPreferred);
        }

        foreach (var upstream in All)
        {
            if (upstream.FindPeer(host, port) is { } known)
            {
                return (upstream, known);
            }
        }

        return null;
    }

    /// <summary>
    /// Adds or replaces an upstream. Peers (host:port) that stay keep their passive health; removed
    /// peers are dropped; balancing restarts from the new weights.
    /// </summary>
    public void Set(UpstreamConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        SetRange([config]);
    }

    /// <summary>Adds or replaces several upstreams in one swap (startup, bulk sync).</summary>
    public void SetRange(IEnumerable<UpstreamConfig> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        lock (_writeLock)
        {
            var next = new Dictionary<string, UpstreamState>(_upstreams, StringComparer.OrdinalIgnoreCase);
            foreach (var config in configs)
            {
                ArgumentNullException.ThrowIfNull(config);
                if (!UpstreamValueRules.IsValidName(config.Name))
                {
                    throw new ArgumentException($"{UpstreamConfigErrors.InvalidName}: '{config.Name}'", nameof(configs));
                }

                next.Remove(config.Name, out var previous);
                next.Add(config.Name, new UpstreamState(config, _timeProvider, previous));
            }

            Volatile.Write(ref _upstreams, Freeze(next));
        }
    }

    public bool Remove(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_writeLock)
        {
            var next = new Dictionary<string, UpstreamState>(_upstreams, StringComparer.OrdinalIgnoreCase);
            if (!next.Remove(name))
            {
                return false;
            }

            Volatile.Write(ref _upstreams, Freeze(next));
            return true;
        }
    }

    /// <summary>
    /// Runs outlier detection on every upstream (once per checkups interval) and returns the peers
    /// it ejected, for logging and metrics. The rules are on <see cref="OutlierDetector"/>.
    /// </summary>
    public IReadOnlyList<OutlierEjection> EvaluateOutliers()
    {
        List<OutlierEjection>? ejections = null;
        foreach (var upstream in All)
        {
            var found = upstream.EvaluateOutliers();
            if (found.Count > 0)
            {
                (ejections ??= []).AddRange(found);
            }
        }

        return ejections ?? (IReadOnlyList<OutlierEjection>)[];
    }

    private static FrozenDictionary<string, UpstreamState> Freeze(Dictionary<string, UpstreamState> upstreams) =>
        upstreams.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
}
