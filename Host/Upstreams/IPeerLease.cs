namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>
/// What a chooser holds while its peer is tried (in-flight slots of the peers it selected): the
/// engine releases it once after the try, or when the try throws. The chooser owns passive health
/// for the peers it chose with a lease: the engine does not feed it for them (a choice without one,
/// <see cref="PeerChoice.Held"/>, is fed like the engine's own selection).
/// </summary>
internal interface IPeerLease
{
    void Release();
}
