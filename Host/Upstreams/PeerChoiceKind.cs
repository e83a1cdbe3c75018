namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>What a <see cref="IPeerChooser{TState}"/> decided for one try.</summary>
internal enum PeerChoiceKind
{
    /// <summary>No choice: the upstream's own balancing picks the peer.</summary>
    Default,

    /// <summary>This peer.</summary>
    Peer,

    /// <summary>Explicitly no peer: the call ends (no peer chosen).</summary>
    None,

    /// <summary>The chooser answered the caller itself (e.g. a script's <c>Exit</c>); the call ends.</summary>
    Answered,
}
