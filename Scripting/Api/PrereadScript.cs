using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// Base of preread scripts: run once per TCP session of a stream listener before it connects
/// (stream-lua's preread and balancer roles). The script may read the first bytes the client sent
/// (they are still forwarded to the peer), route by the TLS server name (<see cref="Sni"/>), set
/// <c>Upstream</c>, pick the peer (<see cref="SetCurrentPeer(Peer?)"/>) or the hash key, or
/// <c>return Refuse();</c> to close the connection.
/// </summary>
public abstract class PrereadScript : RequestScript
{
    protected PrereadScript()
    {
    }

    /// <summary>The server name of the TLS ClientHello the client sent first; null when the first bytes are not a ClientHello or name no server.</summary>
    protected string? Sni => State.Sni;

    /// <summary>The first bytes the client sent (up to the listener's <c>preread_bytes</c>; possibly none). They are forwarded to the peer as they are.</summary>
    protected ReadOnlySpan<byte> FirstBytes => State.FirstBytes.Span;

    /// <summary>The listener's port.</summary>
    protected int ListenerPort => State.ListenerPort;

    /// <summary>The client's address.</summary>
    protected string ClientIp => State.ClientIp;

    /// <summary>The key a hashing upstream (<c>hash</c>, <c>ip_hash</c>...) hashes; the client address when not set.</summary>
    protected string? HashKey
    {
        get => State.HashKey;
        set => State.HashKey = value;
    }

    private PrereadState State => Context.Preread ?? throw new InvalidOperationException("The script is not bound to a stream session.");

    /// <summary>
    /// The gateway's upstreams, read-only: a usable peer by an upstream's balancing and health
    /// (<c>Checkups.SelectPeer("pool")</c>). <c>Feedback</c> throws: the gateway records the session's connect itself.
    /// </summary>
    protected IScriptCheckups Checkups => State.Checkups ?? throw new InvalidOperationException("Checkups is not available here.");

    /// <summary>
    /// Connects the session to <paramref name="peer"/> (no other peer is tried); null = the upstream's
    /// balancing. The peer must be a server of a configured upstream (unless the listener is
    /// <c>trusted</c>): a failed connect counts against it there as any try does.
    /// </summary>
    protected void SetCurrentPeer(Peer? peer) => State.SetPeer(peer);

    /// <summary>Connects the session to <paramref name="host"/>:<paramref name="port"/> (see <see cref="SetCurrentPeer(Peer?)"/>).</summary>
    protected void SetCurrentPeer(string host, int port) => State.SetPeer(new Peer(host, port));

    /// <summary>Closes the connection without connecting anywhere (logged with status 403).</summary>
    protected static ScriptResult Refuse() => ScriptResult.Exit(403);
}
