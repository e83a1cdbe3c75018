using System.Net;
using System.Net.Sockets;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>
/// Keep-alive connections to one peer: idle ones on a stack (the most recently used first, so warm
/// connections stay warm and cold ones age out), at most <see cref="Http1ClientOptions.MaxIdlePerPeer"/>,
/// each closed after <see cref="Http1ClientOptions.IdleTimeout"/> idle.
/// </summary>
internal sealed class Http1PeerPool
{
    private readonly Stack<Http1Connection> _idle = new();
    private readonly EndPoint _endPoint;
    private readonly string _address;
    private readonly Http1ClientOptions _options;
    private readonly TimeProvider _time;

    public Http1PeerPool(string host, int port, string address, Http1ClientOptions options, TimeProvider time)
    {
        _endPoint = PeerEndPoint.For(host, port);
        _address = address;
        _options = options;
        _time = time;
        Slots = options.MaxConnectionsPerPeer > 0 ? new SemaphoreSlim(options.MaxConnectionsPerPeer, options.MaxConnectionsPerPeer) : null;
    }

    /// <summary>
    /// One per connection in use, when connections are limited; null when not. A connection is only
    /// made when no idle one is left, so in-use connections bound idle plus in-use.
    /// </summary>
    public SemaphoreSlim? Slots { get; }

    public int IdleCount
    {
        get
        {
            lock (_idle)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>A live idle connection, or null when none is left.</summary>
    public Http1Connection? TryRentIdle()
    {
        while (true)
        {
            Http1Connection? connection;
            lock (_idle)
            {
                if (!_idle.TryPop(out connection))
                {
                    return null;
                }
            }

            if (_time.GetElapsedTime(connection.IdleSince) >= _options.IdleTimeout || connection.LooksClosed())
            {
                connection.Dispose();
                continue;
            }

            connection.Reused = true;
            return connection;
        }
    }

    /// <summary>A new connection; <see cref="UpstreamConnectException"/> when it cannot be made in <paramref name="timeout"/>.</summary>
    public async ValueTask<Http1Connection> ConnectAsync(TimeSpan timeout, CancellationToken aborted)
    {
        var socket = PeerEndPoint.NewSocket(_endPoint);
        using var timer = new CancellationTokenSource(timeout, _time);
        using var deadline = aborted.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(aborted, timer.Token) : null;
        var started = _time.GetTimestamp();
        try
        {
            await socket.ConnectAsync(_endPoint, deadline?.Token ?? timer.Token);
            return new Http1Connection(socket);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            socket.Dispose();
            throw new UpstreamConnectException($"connect to {_address} timed out after {_time.GetElapsedTime(started).TotalMilliseconds:F0} ms", timedOut: true);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new UpstreamConnectException($"connect to {_address} failed: {ex.SocketErrorCode}", timedOut: false, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Back to the pool after a cleanly ended message; closed when the pool is full.</summary>
    public void Return(Http1Connection connection)
    {
        connection.IdleSince = _time.GetTimestamp();
        lock (_idle)
        {
            if (_idle.Count < _options.MaxIdlePerPeer)
            {
                _idle.Push(connection);
                return;
            }
        }

        connection.Dispose();
    }

    /// <summary>Closes every idle connection (a stale one was found: the peer probably restarted).</summary>
    public void DrainIdle() => Trim(all: true);

    /// <summary>Closes idle connections past the idle timeout.</summary>
    public void Scavenge() => Trim(all: false);

    private void Trim(bool all)
    {
        List<Http1Connection>? closing = null;
        lock (_idle)
        {
            if (_idle.Count == 0)
            {
                return;
            }

            var kept = new Stack<Http1Connection>(_idle.Count);
            while (_idle.TryPop(out var connection))
            {
                if (all || _time.GetElapsedTime(connection.IdleSince) >= _options.IdleTimeout)
                {
                    (closing ??= []).Add(connection);
                }
                else
                {
                    kept.Push(connection);
                }
            }

            // kept holds them reversed; pushing back restores the order.
            while (kept.TryPop(out var connection))
            {
                _idle.Push(connection);
            }
        }

        if (closing is not null)
        {
            foreach (var connection in closing)
            {
                connection.Dispose();
            }
        }
    }
}
