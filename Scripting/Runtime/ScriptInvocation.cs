namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// One invocation handed to a script thread, and what the request awaits: the outcome is set once,
/// by the flow when it ends or by the <see cref="ScriptWatchdog"/> when it does not end in time;
/// whoever sets it records the counters. Continuations run asynchronously, so the request never
/// goes on on a script thread.
/// </summary>
internal sealed class ScriptInvocation : TaskCompletionSource<ScriptOutcome>
{
    private readonly ScriptLimits _limits;
    private readonly ScriptCounters _counters;
    private readonly TimeProvider _time;
    private readonly CancellationToken _cancellation;
    private ScriptBudget? _budget;
    private long _startedAt;
    private long _markedAt;

    public ScriptInvocation(ScriptLimits limits, ScriptRequestContext context, BalancerTurn? turn, ScriptCounters counters, TimeProvider time, CancellationToken cancellation)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        _limits = limits;
        Context = context;
        Turn = turn;
        _counters = counters;
        _time = time;
        _cancellation = cancellation;
    }

    /// <summary>The budget, from <see cref="Begin"/> on.</summary>
    public ScriptBudget Budget => Volatile.Read(ref _budget) ?? throw new InvalidOperationException("The invocation has not begun.");

    public ScriptRequestContext Context { get; }

    /// <summary>The balancer turn, for a balancer script; null for rewrite and auth.</summary>
    public BalancerTurn? Turn { get; }

    public long StartedAt => _startedAt;

    public CancellationToken Cancellation => _cancellation;

    // The watchdog's list; only touched under its lock.
    internal ScriptInvocation? WatchPrevious { get; set; }

    internal ScriptInvocation? WatchNext { get; set; }

    internal bool Watched { get; set; }

    /// <summary>
    /// On the script thread, when the invocation leaves the queue: the budget (and its deadline)
    /// starts here, so time spent waiting for a script thread is not charged to the script.
    /// </summary>
    public ScriptBudget Begin()
    {
        _startedAt = _time.GetTimestamp();
        var budget = new ScriptBudget(_limits, _time, _cancellation);
        Volatile.Write(ref _budget, budget);
        return budget;
    }

    /// <summary>Sets the outcome unless the watchdog answered first; true when this call set it.</summary>
    public bool Complete(ScriptOutcome outcome)
    {
        if (!TrySetResult(outcome))
        {
            return false;
        }

        _counters.Record(outcome.Status, outcome.Elapsed, outcome.Runaway);
        return true;
    }

    /// <summary>One watchdog pass (under its lock); true when the watchdog is done with this invocation.</summary>
    internal bool Watch(long now, long grace)
    {
        if (Task.IsCompleted)
        {
            return true;
        }

        if (_cancellation.IsCancellationRequested)
        {
            var failure = new ScriptFailure(typeof(OperationCanceledException).FullName!, "The request was aborted.", null);
            Complete(new ScriptOutcome(ScriptRunStatus.Canceled, default, failure, _startedAt == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_startedAt)));
            return true;
        }

        // Still queued for a script thread: its clock has not started.
        var budget = Volatile.Read(ref _budget);
        if (budget is null || now < budget.Deadline)
        {
            return false;
        }

        if (_markedAt == 0)
        {
            // The next tick stops an instrumented script; give it one period to do so.
            _markedAt = now;
            budget.MarkExceeded(BudgetLimit.Duration);
            return false;
        }

        if (now - _markedAt < grace)
        {
            return false;
        }

        var limit = budget.Exceeded ?? BudgetLimit.Duration;
        var runaway = new ScriptFailure(
            typeof(ScriptBudgetExceededException).FullName!,
            budget.Describe(limit) + " It did not stop at its deadline (inside a library call or an await); the request was answered and the script's flow left to end on its own.",
            budget.ExceededAtLine,
            limit);
        Complete(new ScriptOutcome(ScriptRunStatus.BudgetExceeded, default, runaway, _time.GetElapsedTime(StartedAt)) { Runaway = true });
        return true;
    }
}
