using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>The shape a peer a script names must have, wherever it names one (<c>SetCurrentPeer</c> in balancer and preread scripts).</summary>
internal static class PeerArguments
{
    public static void Check(Peer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentException.ThrowIfNullOrWhiteSpace(peer.Host, nameof(peer));
        if (peer.Port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(peer), peer.Port, "A peer's port must be 1-65535.");
        }
    }
}
