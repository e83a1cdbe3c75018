using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// One bound TCP listener of scripts.json's <c>"streams"</c>: its accept loop and the sessions it
/// started. Its configuration may change under it (new sessions take the new one); removing it
/// stops the accepts, lets sessions finish for the drain timeout and then closes the rest.
/// </summary>
internal sealed partial class StreamListener : IDisposable
{
    private readonly StreamProxy _proxy;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, StreamSession> _sessions = new();
    private readonly CancellationTokenSource _stopAccepting = new();
    private volatile StreamListenerConfig _config;
    private Socket? _socket;
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextId;
    private long _total;

    // Kept beside the dictionary: its Count takes every lock, and the accept loop reads this per connection.
    private int _active;

    // Completed (and replaced) whenever a session ends: what a drain waits on.
    private TaskCompletionSource _sessionEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamListener(StreamListenerConfig config, StreamProxy proxy, ILogger logger)
    {
        _config = config;
        _proxy = proxy;
        _logger = logger;
    }

    public StreamListenerConfig Config => _config;

    /// <summary>The address it is bound to (the real port when the configuration said 0); null while not bound.</summary>
    public IPEndPoint? BoundEndPoint { get; private set; }

    /// <summary>Why it could not bind; null when it is bound.</summary>
    public string? BindError { get; private set; }

    public bool IsDraining => _stopAccepting.IsCancellationRequested;

    public int ActiveSessions => Volatile.Read(ref _active);

    public long TotalSessions => Interlocked.Read(ref _total);

    public ICollection<StreamSession> Sessions => _sessions.Values;

    public void Update(StreamListenerConfig config) => _config = config;

    /// <summary>Binds and starts accepting; false (with <see cref="BindError"/>) when the address cannot be bound.</summary>
    public bool TryStart()
    {
        var endPoint = _config.EndPoint;
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // A port left in TIME_WAIT by a listener removed a moment ago can be bound again; a port
            // another socket listens on still cannot (no SO_REUSEPORT).
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(512);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            BindError = $"{endPoint}: {ex.SocketErrorCode} ({ex.Message})";
            return false;
        }

        // An accept's continuation starts the session up to its connect (RunSessionAsync): short, never blocking.
        if (_proxy.InlineCompletions)
        {
            SocketInlineCompletions.Prefer(socket);
        }

        BindError = null;
        _socket = socket;
        BoundEndPoint = (IPEndPoint)socket.LocalEndPoint!;

        // Sessions start from the accept loop and would carry the context of whatever started it (an
        // admin request that added the listener, its async locals and its logging scope) for the
        // listener's life: they start from an empty one.
        using (ExecutionContext.SuppressFlow())
        {
            _acceptLoop = AcceptLoopAsync(socket);
        }

        return true;
    }

    /// <summary>Stops accepting, waits up to <paramref name="drainTimeout"/> (the proxy's clock) for the sessions to end, then closes the rest.</summary>
    public async Task StopAsync(TimeSpan drainTimeout, CancellationToken cancellationToken = default)
    {
        _stopAccepting.Cancel();
        _socket?.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        var time = _proxy.Time;
        var startedAt = time.GetTimestamp();
        while (!_sessions.IsEmpty)
        {
            // Taken before the emptiness check below, so a session ending in between is not missed.
            var ended = Volatile.Read(ref _sessionEnded).Task;
            var left = drainTimeout - time.GetElapsedTime(startedAt);
            if (_sessions.IsEmpty || left <= TimeSpan.Zero)
            {
                break;
            }

            try
            {
                await ended.WaitAsync(left, time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
                break;
            }
        }

        var closed = 0;
        foreach (var session in _sessions.Values)
        {
            session.Abort(StreamEndReason.Drained);
            closed++;
        }

        if (closed > 0)
        {
            Log.Drained(_logger, _config.Address, closed);
        }
    }

    /// <summary>Frees the socket and token; call after <see cref="StopAsync"/>.</summary>
    public void Dispose()
    {
        _socket?.Dispose();
        _stopAccepting.Dispose();
    }

    private async Task AcceptLoopAsync(Socket socket)
    {
        var token = _stopAccepting.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // A connection reset before it was accepted, or out of descriptors: the listener goes on.
                Log.AcceptFailed(_logger, _config.Address, ex.SocketErrorCode);
                continue;
            }

            client.NoDelay = true;
            var config = _config;
            var session = new StreamSession(Interlocked.Increment(ref _nextId), client, config.Address, _proxy.Time.GetTimestamp());
            Interlocked.Increment(ref _total);
            if (Interlocked.Increment(ref _active) > config.MaxSessions)
            {
                Interlocked.Decrement(ref _active);
                _proxy.Reject(session, config);
                session.Dispose();
                continue;
            }

            _sessions[session.Id] = session;
            _ = RunSessionAsync(session, config);
        }
    }

    private async Task RunSessionAsync(StreamSession session, StreamListenerConfig config)
    {
        try
        {
            // Off the accept loop at once: the session's first await may complete synchronously. With
            // inline completions the session's start (up to its connect, which waits) runs here, as
            // nginx's does: it is short and never blocks, and the copy loops yield on their own.
            if (!_proxy.InlineCompletions)
            {
                await Task.Yield();
            }

            await _proxy.RunAsync(session, config).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // One session's bug must not end the listener; it is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.SessionFailed(_logger, config.Address, ex);
        }
        finally
        {
            _sessions.TryRemove(session.Id, out _);
            Interlocked.Decrement(ref _active);
            session.Dispose();

            // Only a drain waits for sessions to end (it stops accepting first, then reads the signal
            // before it looks at the sessions left, so an end between the two is not missed).
            if (_stopAccepting.IsCancellationRequested)
            {
                Interlocked.Exchange(ref _sessionEnded, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Stream listener {Listener}: accept failed ({Error}); still listening")]
        public static partial void AcceptFailed(ILogger logger, string listener, SocketError error);

        [LoggerMessage(2, LogLevel.Error, "Stream listener {Listener}: a session failed")]
        public static partial void SessionFailed(ILogger logger, string listener, Exception exception);

        [LoggerMessage(3, LogLevel.Information, "Stream listener {Listener}: {Count} sessions still open after the drain timeout were closed")]
        public static partial void Drained(ILogger logger, string listener, int count);
    }
}
