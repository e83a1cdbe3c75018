namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>
/// Chooses the peer of each try in code instead of the upstream's balancing (balancer_by_lua). It
/// sees the call (its tries so far, <see cref="UpstreamCall.LastTry"/>) and may widen the try limit
/// with <see cref="UpstreamCall.AllowMoreTries"/>.
/// </summary>
internal interface IPeerChooser<in TState>
{
    ValueTask<PeerChoice> ChooseAsync(UpstreamCall call, TState state);
}
