using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// Base of balancer scripts, run once per try like balancer_by_lua. Synchronous: choosing a peer
/// must not wait on anything.
/// </summary>
public abstract class BalancerScript : ScriptBase
{
    private BalancerTurn? _turn;

    protected BalancerScript()
    {
    }

    /// <summary>Name of the upstream the request goes to.</summary>
    protected string Upstream => Turn.Upstream;

    /// <summary>How the previous try failed; null on the first try.</summary>
    protected TryFailureInfo? LastFailure => Turn.LastFailure;

    /// <summary>Tries made so far for this request (0 on the first call).</summary>
    protected int Tries => Turn.Tries;

    /// <summary>The gateway's upstreams: peer selection and passive health feedback.</summary>
    protected IScriptCheckups Checkups => Turn.Checkups;

    internal BalancerTurn Turn => _turn ?? throw new InvalidOperationException("The script is not bound to a balancer turn.");

    /// <summary>Sends this try to <paramref name="peer"/>; null means no peer is available (the try fails with 502).</summary>
    protected void SetCurrentPeer(Peer? peer) => Turn.SetPeer(peer);

    /// <summary>Sends this try to <paramref name="host"/>:<paramref name="port"/>.</summary>
    protected void SetCurrentPeer(string host, int port) => Turn.SetPeer(new Peer(host, port));

    /// <summary>Allows <paramref name="count"/> more tries after this one if it fails.</summary>
    protected void SetMoreTries(int count) => Turn.SetMoreTries(count);

    /// <summary>The script's body.</summary>
    protected abstract ScriptResult Run();

    internal ScriptResult Invoke() => Run();

    internal void BindTurn(BalancerTurn turn) => _turn = turn;
}
