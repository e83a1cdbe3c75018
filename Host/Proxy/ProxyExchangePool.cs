using System.Collections.Concurrent;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// Proxied requests' exchanges with their upstream calls, reused: a request on the hot path then
/// allocates neither (nor the calls' try lists). Bounded; one per gateway.
/// </summary>
internal sealed class ProxyExchangePool
{
    private const int MaxPooled = 1024;

    private readonly ConcurrentQueue<ProxyExchange> _free = new();
    private readonly TimeProvider _time;
    private int _count;

    public ProxyExchangePool(TimeProvider time)
    {
        _time = time;
    }

    public ProxyExchange Rent(HttpContext context, string? clientIp, UpstreamState upstream, RetryPolicy policy, long startedAt)
    {
        if (_free.TryDequeue(out var exchange))
        {
            Interlocked.Decrement(ref _count);
            exchange.Call.Reuse(upstream, policy, startedAt);
            exchange.Reuse(context, clientIp);
            return exchange;
        }

        return new ProxyExchange(context, new UpstreamCall(upstream, policy, _time, startedAt), clientIp);
    }

    /// <summary>After the request ended and its access log entry was made: nothing may hold the exchange any more.</summary>
    public void Return(ProxyExchange exchange)
    {
        exchange.Release();
        if (Interlocked.Increment(ref _count) <= MaxPooled)
        {
            _free.Enqueue(exchange);
            return;
        }

        Interlocked.Decrement(ref _count);
    }
}
