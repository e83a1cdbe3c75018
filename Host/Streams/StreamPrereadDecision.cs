using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>What a session's preread script decided.</summary>
/// <param name="Status">0 to go on and connect; else the session ends now with this status (403 refused, 500 failed, 503 quarantined or no script thread).</param>
/// <param name="Upstream">The upstream to connect to (the listener's unless the script set another).</param>
/// <param name="Peer">The peer the script chose; null = the upstream's balancing.</param>
/// <param name="HashKey">The key for a hashing upstream; null = the client address.</param>
internal readonly record struct StreamPrereadDecision(int Status, string? Upstream, Peer? Peer = null, string? HashKey = null)
{
    public bool Proceeds => Status == 0;
}
