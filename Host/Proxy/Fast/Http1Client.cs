using System.Collections.Concurrent;
using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>
/// The fast path's connection pools, one per peer address, and its pooled per-try state. A timer on
/// the injected clock closes idle connections past their timeout. One per gateway.
/// </summary>
internal sealed class Http1Client : IDisposable
{
    private const int MaxPooledStates = 1024;

    private readonly ConcurrentDictionary<string, Http1PeerPool> _pools = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Http1TryState> _states = new();
    private readonly Func<string, PeerState, Http1PeerPool> _createPool;
    private readonly ITimer _scavenger;
    private readonly TimeProvider _time;
    private int _pooledStates;

    public Http1Client(Http1ClientOptions options, TimeProvider time)
    {
        Options = options;
        _time = time;
        _createPool = (address, peer) => new Http1PeerPool(peer.Host, peer.Port, address, Options, _time);
        var period = options.IdleTimeout / 2 > TimeSpan.FromSeconds(15) ? TimeSpan.FromSeconds(15) : options.IdleTimeout / 2;
        _scavenger = time.CreateTimer(static state => ((Http1Client)state!).Scavenge(), this, period, period);
    }

    public Http1ClientOptions Options { get; }

    public Http1PeerPool PoolFor(PeerState peer) => _pools.GetOrAdd(peer.Address, _createPool, peer);

    public Http1TryState RentState()
    {
        if (_states.TryDequeue(out var state))
        {
            Interlocked.Decrement(ref _pooledStates);
        }
        else
        {
            state = new Http1TryState(_time);
        }

        state.Reset();
        return state;
    }

    public void ReturnState(Http1TryState state)
    {
        if (Interlocked.Increment(ref _pooledStates) <= MaxPooledStates)
        {
            _states.Enqueue(state);
            return;
        }

        Interlocked.Decrement(ref _pooledStates);
        state.Dispose();
    }

    private void Scavenge()
    {
        foreach (var pool in _pools.Values)
        {
            pool.Scavenge();
        }
    }

    public void Dispose()
    {
        _scavenger.Dispose();
        foreach (var pool in _pools.Values)
        {
            pool.DrainIdle();
        }

        while (_states.TryDequeue(out var state))
        {
            state.Dispose();
        }
    }
}
