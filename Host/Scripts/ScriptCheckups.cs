using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Upstreams;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// <c>Checkups</c> as a balancer script sees it, for one turn (and a preread script, without feedback). Every peer the script selects holds
/// an in-flight slot until <see cref="ReleaseAll"/>; feedback by address records an outcome without
/// touching those slots (balancer_by_lua's feedback_status about an earlier try).
/// </summary>
internal sealed class ScriptCheckups : IScriptCheckups, IPeerLease
{
    private readonly UpstreamRegistry _registry;
    private readonly IReadOnlyList<PeerState> _tried;
    private readonly bool _readOnly;
    private readonly List<(UpstreamState Upstream, PeerState Peer)> _selected = new(1);

    /// <param name="readOnly">A view without <see cref="Feedback"/> (a preread script: the gateway records its session's connect itself).</param>
    public ScriptCheckups(UpstreamRegistry registry, IReadOnlyList<PeerState> tried, bool readOnly = false)
    {
        _registry = registry;
        _tried = tried;
        _readOnly = readOnly;
    }

    public Peer? SelectPeer(string upstream, string? hashKey = null)
    {
        if (!_registry.TryGet(upstream, out var state) || state.SelectPeer(new PeerSelection(_tried, hashKey)) is not { } peer)
        {
            return null;
        }

        _selected.Add((state, peer));
        return new Peer(peer.Host, peer.Port);
    }

    public void Feedback(string upstream, Peer peer, bool failed)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (_readOnly)
        {
            throw new InvalidOperationException("Checkups.Feedback is for balancer scripts: the gateway records a preread session's connect against its peer itself.");
        }

        if (_registry.TryGet(upstream, out var state) && state.FindPeer(peer.Host, peer.Port) is { } known)
        {
            state.Report(known, failed);
        }
    }

    /// <summary>The peer to forward to: one this turn selected, a known peer of the upstream, or an ad-hoc address.</summary>
    public PeerState Resolve(Peer peer, UpstreamState upstream)
    {
        foreach (var (_, selected) in _selected)
        {
            if (selected.Port == peer.Port && string.Equals(selected.Host, peer.Host, StringComparison.OrdinalIgnoreCase))
            {
                return selected;
            }
        }

        return upstream.FindPeer(peer.Host, peer.Port)
            ?? new PeerState(new PeerConfig { Host = peer.Host, Port = peer.Port }, level: 0, new PeerHealth());
    }

    void IPeerLease.Release() => ReleaseAll();

    public void ReleaseAll()
    {
        foreach (var (upstream, peer) in _selected)
        {
            upstream.Release(peer);
        }

        _selected.Clear();
    }
}
