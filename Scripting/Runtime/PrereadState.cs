using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// What a preread script sees of a TCP session (its first bytes, the SNI they carry, the listener) and
/// what it decided (a peer, a hash key). The host fills the inputs and reads the outputs.
/// </summary>
internal sealed class PrereadState
{
    public PrereadState(int listenerPort, string clientIp, ReadOnlyMemory<byte> firstBytes, string? sni)
    {
        ListenerPort = listenerPort;
        ClientIp = clientIp;
        FirstBytes = firstBytes;
        Sni = sni;
    }

    public int ListenerPort { get; }

    public string ClientIp { get; }

    public ReadOnlyMemory<byte> FirstBytes { get; }

    public string? Sni { get; }

    /// <summary>The peer the script chose (<c>SetCurrentPeer</c>); null = the upstream's balancing.</summary>
    public Peer? Peer { get; private set; }

    /// <summary>The gateway's upstreams as the script may consult them (<c>Checkups</c>); null outside the gateway.</summary>
    public IScriptCheckups? Checkups { get; init; }

    /// <summary>Why the script may not connect to a peer (null when it may): the host's rule, checked when the script names it.</summary>
    public Func<Peer, string?>? RefusePeer { get; init; }

    public void SetPeer(Peer? peer)
    {
        if (peer is not null)
        {
            PeerArguments.Check(peer);
            if (RefusePeer?.Invoke(peer) is { } reason)
            {
                throw new InvalidOperationException(reason);
            }
        }

        Peer = peer;
    }

    /// <summary>The key of a hashing upstream (<c>HashKey = ...</c>); null = the client address.</summary>
    public string? HashKey { get; set; }
}
