using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>
/// The retry rules of one upstream (nginx's proxy_next_upstream_tries, _timeout and the conditions):
/// its own fields where set, the gateway's defaults otherwise. <see cref="TryEngine.PolicyFor"/>
/// builds and caches one per upstream configuration.
/// </summary>
/// <param name="Tries">Most tries of one call, the first included.</param>
/// <param name="Budget">Wall time from the start of the call after which no new try starts; zero = none.</param>
/// <param name="Conditions">Which failed tries may move on to another peer.</param>
/// <param name="ConnectTimeout">Longest wait for one connection to a peer.</param>
internal sealed record RetryPolicy(int Tries, TimeSpan Budget, NextUpstreamConditions Conditions, TimeSpan ConnectTimeout)
{
    public static RetryPolicy Create(UpstreamConfig upstream, RetryPolicy defaults)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(defaults);
        return new RetryPolicy(
            upstream.Tries ?? defaults.Tries,
            upstream.TryTimeout ?? defaults.Budget,
            upstream.NextUpstream ?? defaults.Conditions,
            upstream.ConnectTimeout ?? defaults.ConnectTimeout);
    }

    public bool Allows(NextUpstreamConditions condition) => condition != NextUpstreamConditions.Off && (Conditions & condition) != 0;
}
