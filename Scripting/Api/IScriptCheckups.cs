namespace Slardar.Scriptable.Scripting.Api;

/// <summary>The gateway's upstreams as a balancer script uses them (lua-resty-checkups' API).</summary>
public interface IScriptCheckups
{
    /// <summary>
    /// The next usable peer of <paramref name="upstream"/> by its balancing mode (weighted round robin,
    /// or consistent hash on <paramref name="hashKey"/>), or null when none is usable or the upstream
    /// is unknown.
    /// </summary>
    Peer? SelectPeer(string upstream, string? hashKey = null);

    /// <summary>Reports a try's outcome to passive health checking.</summary>
    void Feedback(string upstream, Peer peer, bool failed);
}
