using System.Threading.Tasks.Sources;

namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// One invocation handed to a script thread, and what the request awaits: the outcome is set once,
/// by the flow when it ends or by the <see cref="ScriptWatchdog"/> when it does not end in time;
/// whoever sets it records the counters. Continuations run asynchronously, so the request never
/// goes on on a script thread. It is its own value task source, so handing an invocation over costs
/// one object, not a completion source and its task.
/// <para>
/// Two clocks, two bounds. The wait for a script thread is bounded by <see cref="QueueTimeout"/>: an
/// invocation still queued then is answered <see cref="ScriptRunStatus.NotStarted"/> and never runs
/// (a busy machine, not the script's doing). The script's budget starts when a script thread takes
/// it (<see cref="Begin"/>), so queue wait is never charged to the script.
/// </para>
/// </summary>
internal sealed class ScriptInvocation : IValueTaskSource<ScriptOutcome>
{
    private const int Queued = 0;
    private const int Running = 1;
    private const int Dropped = 2;

    private readonly ScriptLimits _limits;
    private readonly ScriptCounters _counters;
    private readonly TimeProvider _time;
    private readonly long _queueTimeout;
    private readonly CancellationToken _cancellation;
    private ScriptBudget? _budget;
    private long _startedAt;
    private int _state;
    private long _markedAt;
    private int _completed;
    private ManualResetValueTaskSourceCore<ScriptOutcome> _outcome;

    /// <param name="queueTimeout">How long the invocation may wait for a script thread; <see cref="Timeout.InfiniteTimeSpan"/> for no bound.</param>
    public ScriptInvocation(ScriptLimits limits, ScriptRequestContext context, BalancerTurn? turn, ScriptCounters counters, TimeProvider time, TimeSpan queueTimeout, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queueTimeout, TimeSpan.Zero);
        _limits = limits;
        Context = context;
        Turn = turn;
        _counters = counters;
        _time = time;
        QueueTimeout = queueTimeout;
        _queueTimeout = queueTimeout == Timeout.InfiniteTimeSpan ? long.MaxValue : (long)(queueTimeout.TotalSeconds * time.TimestampFrequency);
        _cancellation = cancellation;
        QueuedAt = time.GetTimestamp();
        _outcome.RunContinuationsAsynchronously = true;
    }

    /// <summary>What the request awaits: the outcome, once the flow or the watchdog has set it.</summary>
    public ValueTask<ScriptOutcome> Outcome => new(this, _outcome.Version);

    /// <summary>Whether the outcome is set.</summary>
    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>The budget, from <see cref="Begin"/> on.</summary>
    public ScriptBudget Budget => Volatile.Read(ref _budget) ?? throw new InvalidOperationException("The invocation has not begun.");

    public ScriptRequestContext Context { get; }

    /// <summary>The balancer turn, for a balancer script; null for rewrite and auth.</summary>
    public BalancerTurn? Turn { get; }

    public TimeSpan QueueTimeout { get; }

    /// <summary>When the request handed the invocation over (a timestamp of the invocation's clock).</summary>
    public long QueuedAt { get; }

    /// <summary>When a script thread took it, the start of the script's budget; 0 before.</summary>
    public long StartedAt => Volatile.Read(ref _startedAt);

    public CancellationToken Cancellation => _cancellation;

    // The watchdog's list; only touched under its lock.
    internal ScriptInvocation? WatchPrevious { get; set; }

    internal ScriptInvocation? WatchNext { get; set; }

    internal bool Watched { get; set; }

    /// <summary>
    /// On the script thread that took the invocation: starts the script's budget (and its deadline)
    /// here. Null when the invocation was already answered while it waited (queue timeout, or the
    /// request went away): then the script must not run.
    /// </summary>
    public ScriptBudget? Begin()
    {
        // Published before the state says "running": the watchdog reads the budget only after it sees that.
        var startedAt = _time.GetTimestamp();
        Volatile.Write(ref _startedAt, startedAt);
        var budget = new ScriptBudget(_limits, _time, _cancellation);
        Volatile.Write(ref _budget, budget);
        return Interlocked.CompareExchange(ref _state, Running, Queued) == Queued ? budget : null;
    }

    /// <summary>Sets the outcome unless the watchdog answered first; true when this call set it.</summary>
    public bool Complete(ScriptOutcome outcome)
    {
        if (!TrySetOutcome(outcome))
        {
            return false;
        }

        _counters.Record(outcome.Status, outcome.Elapsed, outcome.Runaway);
        return true;
    }

    /// <summary>One watchdog pass (under its lock); true when the watchdog is done with this invocation.</summary>
    /// <param name="stall">How long the process stood still since the last pass (timestamp units); 0 when it did not.</param>
    internal bool Watch(long now, long grace, long stall)
    {
        if (IsCompleted)
        {
            return true;
        }

        if (Volatile.Read(ref _state) == Queued)
        {
            return WatchQueued(now);
        }

        var budget = Budget;
        if (_cancellation.IsCancellationRequested)
        {
            var failure = new ScriptFailure(typeof(OperationCanceledException).FullName!, "The request was aborted.", null);
            Complete(new ScriptOutcome(ScriptRunStatus.Canceled, default, failure, _time.GetElapsedTime(StartedAt)));
            return true;
        }

        // No script ran while the process stood still: not this one's time, and a marked one gets its
        // period to end after it (while the excuse lasts: a stuck call is still answered on a machine
        // that keeps stalling).
        if (stall > 0 && budget.ExcuseStall(stall) && _markedAt != 0)
        {
            _markedAt = now;
        }

        // The wall bound first: it holds while the time budget stands still for upstream I/O.
        var limit = now >= budget.WallDeadline ? BudgetLimit.WallTime
            : now >= budget.Deadline ? BudgetLimit.Duration
            : (BudgetLimit?)null;
        if (limit is null && _markedAt == 0)
        {
            return false;
        }

        if (_markedAt == 0)
        {
            // The next tick stops an instrumented script (and a content script's I/O is canceled at
            // its wall deadline); give it one period to do so.
            _markedAt = now;
            budget.MarkExceeded(limit!.Value);
            return false;
        }

        if (now - _markedAt < grace)
        {
            return false;
        }

        var exceeded = budget.Exceeded ?? BudgetLimit.Duration;
        var runaway = new ScriptFailure(
            typeof(ScriptBudgetExceededException).FullName!,
            budget.Describe(exceeded) + " It did not stop at its deadline (inside a library call or an await); the request was answered and the script's flow left to end on its own.",
            budget.ExceededAtLine,
            exceeded);
        Complete(new ScriptOutcome(ScriptFailures.StatusOf(exceeded), default, runaway, _time.GetElapsedTime(StartedAt)) { Runaway = true });
        return true;
    }

    // Still waiting for a script thread: answered (and never run) when the request went away or waited
    // its whole queue timeout. Not the script's invocation, so not in its counters.
    private bool WatchQueued(long now)
    {
        var canceled = _cancellation.IsCancellationRequested;
        if (!canceled && now - QueuedAt < _queueTimeout)
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref _state, Dropped, Queued) != Queued)
        {
            // A script thread took it just now: from here on its budget applies.
            return false;
        }

        var failure = canceled
            ? new ScriptFailure(typeof(OperationCanceledException).FullName!, "The request was aborted.", null)
            : new ScriptFailure(typeof(TimeoutException).FullName!, $"No script thread took the invocation within {QueueTimeout.TotalMilliseconds} ms; the script did not run.", null);
        TrySetOutcome(new ScriptOutcome(canceled ? ScriptRunStatus.Canceled : ScriptRunStatus.NotStarted, default, failure, TimeSpan.Zero));
        return true;
    }

    ScriptOutcome IValueTaskSource<ScriptOutcome>.GetResult(short token) => _outcome.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ScriptOutcome>.GetStatus(short token) => _outcome.GetStatus(token);

    void IValueTaskSource<ScriptOutcome>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _outcome.OnCompleted(continuation, state, token, flags);

    // The flow and the watchdog may both try: the first one sets the outcome.
    private bool TrySetOutcome(ScriptOutcome outcome)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        _outcome.SetResult(outcome);
        return true;
    }
}
