using System.Runtime.CompilerServices;
using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>The retry rules of one upstream: its own fields where set, the gateway defaults otherwise.</summary>
internal sealed record RetryPolicy(int Tries, TimeSpan Budget, NextUpstreamConditions Conditions, TimeSpan ConnectTimeout)
{
    // Keyed weakly by the live upstream so a replaced upstream's policy goes with it.
    private static readonly ConditionalWeakTable<UpstreamConfig, RetryPolicy> Cache = [];

    public static RetryPolicy For(UpstreamConfig upstream, ProxyOptions defaults) =>
        Cache.GetValue(upstream, u => Create(u, defaults));

    private static RetryPolicy Create(UpstreamConfig upstream, ProxyOptions defaults)
    {
        return new RetryPolicy(
            upstream.Tries ?? defaults.Tries,
            upstream.TryTimeout ?? defaults.NextUpstreamTimeout,
            upstream.NextUpstream ?? defaults.NextUpstream,
            upstream.ConnectTimeout ?? defaults.ConnectTimeout);
    }

    public bool Allows(NextUpstreamConditions condition) => condition != NextUpstreamConditions.Off && (Conditions & condition) != 0;
}
