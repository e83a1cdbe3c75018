using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Tests.Scripting.Support;

/// <summary>Round robin over fixed peers per upstream; records feedback.</summary>
internal sealed class FakeScriptCheckups : IScriptCheckups
{
    private readonly Dictionary<string, Peer[]> _peers = new(StringComparer.OrdinalIgnoreCase);
    private int _next;

    public List<(string Upstream, Peer Peer, bool Failed)> Feedbacks { get; } = [];

    public List<(string Upstream, string? HashKey)> Selections { get; } = [];

    /// <summary>Runs inside SelectPeer, to observe the world while a script is running.</summary>
    public Action? OnSelect { get; set; }

    public FakeScriptCheckups With(string upstream, params Peer[] peers)
    {
        _peers[upstream] = peers;
        return this;
    }

    public Peer? SelectPeer(string upstream, string? hashKey = null)
    {
        Selections.Add((upstream, hashKey));
        OnSelect?.Invoke();
        return _peers.TryGetValue(upstream, out var peers) && peers.Length > 0 ? peers[_next++ % peers.Length] : null;
    }

    public void Feedback(string upstream, Peer peer, bool failed) => Feedbacks.Add((upstream, peer, failed));
}
