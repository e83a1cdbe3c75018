using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Tests.Upstreams;

/// <summary>A chooser that answers each turn from a function, counting the leases it hands out and gets back.</summary>
internal sealed class FakeChooser : IPeerChooser<object?>, IPeerLease
{
    private readonly Func<UpstreamCall, FakeChooser, PeerChoice> _choose;

    public FakeChooser(Func<UpstreamCall, FakeChooser, PeerChoice> choose)
    {
        _choose = choose;
    }

    public int Turns { get; private set; }

    public int Released { get; private set; }

    /// <summary>The call's last try as each turn saw it.</summary>
    public List<TryRecord?> SeenLastTries { get; } = [];

    public PeerChoice Choose(PeerState peer) => PeerChoice.Chosen(peer, this);

    public ValueTask<PeerChoice> ChooseAsync(UpstreamCall call, object? state)
    {
        Turns++;
        SeenLastTries.Add(call.LastTry);
        return ValueTask.FromResult(_choose(call, this));
    }

    public void Release() => Released++;
}
