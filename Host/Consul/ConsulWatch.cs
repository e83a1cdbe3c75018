namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// Runs one blocking query over and over, following Consul's documented rules for blocking
/// queries, and reports each result whose index changed.
/// <list type="bullet">
/// <item>Starts with a plain read (index 0, no wait), then blocks with the last index; a caller
/// that already read and applied the state resumes from its index instead, so a change made in
/// between is reported rather than read silently as the starting state.</item>
/// <item>When the returned index is lower than the one asked with, or below 1 (a restart or
/// snapshot restore), starts over with a plain read; see <see cref="BlockingIndex"/>.</item>
/// <item>Two query starts are at least <see cref="ConsulWatchOptions.MinQueryGap"/> apart, so a
/// server that answers at once every time cannot make the loop spin.</item>
/// <item>After any failure it backs off (doubling, bounded) and resyncs with a plain read: after an
/// error the old index may no longer mean anything to the agent that answers next.</item>
/// <item>Returning from a blocking query is no proof of change: results with the index already
/// reported are dropped.</item>
/// </list>
/// The callback runs on the loop, one result at a time; if it throws, the same state is offered
/// again after the back-off. The loop ends when its token is cancelled.
/// </summary>
/// <typeparam name="T">What the query returns.</typeparam>
internal sealed partial class ConsulWatch<T>
{
    private readonly string _name;
    private readonly Func<ulong, TimeSpan, CancellationToken, Task<ConsulResult<T>>> _query;
    private readonly Func<ConsulResult<T>, CancellationToken, Task> _onChange;
    private readonly ConsulWatchOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile ConsulWatchStatus _status = ConsulWatchStatus.Initial;

    /// <param name="name">Names the watch in logs (e.g. the KV prefix or service).</param>
    /// <param name="query">Asks Consul with (index, wait); index 0 must answer at once.</param>
    /// <param name="onChange">Receives each result whose index differs from the last one reported.</param>
    public ConsulWatch(
        string name,
        Func<ulong, TimeSpan, CancellationToken, Task<ConsulResult<T>>> query,
        Func<ConsulResult<T>, CancellationToken, Task> onChange,
        ConsulWatchOptions options,
        TimeProvider time,
        ILogger logger)
    {
        _name = name;
        _query = query;
        _onChange = onChange;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public ConsulWatchStatus Status => _status;

    /// <param name="resumeIndex">The index of a state the caller already applied (0: start with a plain read).</param>
    public async Task RunAsync(CancellationToken cancellationToken, ulong resumeIndex = 0)
    {
        var index = resumeIndex;
        ulong? reported = resumeIndex == 0 ? null : resumeIndex;
        long? lastStart = null;
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (lastStart is { } started)
                {
                    await DelayAsync(_options.MinQueryGap - _time.GetElapsedTime(started), cancellationToken);
                }

                lastStart = _time.GetTimestamp();
                ConsulResult<T> result;
                try
                {
                    result = await _query(index, index == 0 ? TimeSpan.Zero : _options.Wait, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failures++;
                    index = 0;
                    _status = _status with { Reachable = false, LastError = e.Message, ConsecutiveFailures = failures };
                    var backoff = Backoff(failures);
                    Log.QueryFailed(_logger, _name, failures, backoff, e.Message);
                    await DelayAsync(backoff, cancellationToken);
                    continue;
                }

                failures = 0;
                var next = BlockingIndex.Next(index, result.Index);
                if (next == 0)
                {
                    Log.IndexReset(_logger, _name, index, result.Index);
                }

                _status = _status with
                {
                    Reachable = true,
                    LastIndex = result.Index,
                    LastAnswerAt = _time.GetUtcNow(),
                    LastError = null,
                    ConsecutiveFailures = 0,
                };

                if (reported != result.Index)
                {
                    try
                    {
                        await _onChange(result, cancellationToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        // Not Consul's fault: Consul stays reachable, but the state is offered again.
                        index = 0;
                        _status = _status with { LastError = "change handler failed: " + e.Message };
                        Log.HandlerFailed(_logger, _name, result.Index, e);
                        await DelayAsync(_options.BackoffInitial, cancellationToken);
                        continue;
                    }

                    reported = result.Index;
                    _status = _status with { LastChangeAt = _time.GetUtcNow() };
                    Log.Changed(_logger, _name, result.Index);
                }

                index = next;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal way out.
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(_options.BackoffInitial.Ticks * factor, _options.BackoffMax.Ticks));
        return delay;
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, _time, cancellationToken) : Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Consul watch {Watch}: query failed ({Failures} in a row), resyncing in {Backoff}: {Reason}")]
        public static partial void QueryFailed(ILogger logger, string watch, int failures, TimeSpan backoff, string reason);

        [LoggerMessage(2, LogLevel.Information, "Consul watch {Watch}: index went from {Previous} to {Returned}; starting over with a plain read")]
        public static partial void IndexReset(ILogger logger, string watch, ulong previous, ulong returned);

        [LoggerMessage(3, LogLevel.Error, "Consul watch {Watch}: the change handler failed for index {Index}; it will be offered again")]
        public static partial void HandlerFailed(ILogger logger, string watch, ulong index, Exception exception);

        [LoggerMessage(4, LogLevel.Debug, "Consul watch {Watch}: reported index {Index}")]
        public static partial void Changed(ILogger logger, string watch, ulong index);
    }
}
