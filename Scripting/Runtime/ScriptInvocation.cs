namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// One invocation handed to a script thread, and what the request awaits: the outcome is set once,
/// by the flow when it ends or by the <see cref="ScriptWatchdog"/> when it does not end in time;
/// whoever sets it records the counters. Continuations run asynchronously, so the request never
/// goes on on a script thread.
/// </summary>
internal sealed class ScriptInvocation : TaskCompletionSource<ScriptOutcome>
{
    private readonly ScriptCounters _counters;
    private readonly TimeProvider _time;
    private readonly CancellationToken _cancellation;
    private long _markedAt;

    public ScriptInvocation(ScriptBudget budget, ScriptRequestContext context, BalancerTurn? turn, ScriptCounters counters, TimeProvider time, CancellationToken cancellation)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Budget = budget;
        Context = context;
        Turn = turn;
        _counters = counters;
        _time = time;
        _cancellation = cancellation;
        StartedAt = time.GetTimestamp();
    }

    public ScriptBudget Budget { get; }

    public ScriptRequestContext Context { get; }

    /// <summary>The balancer turn, for a balancer script; null for rewrite and auth.</summary>
    public BalancerTurn? Turn { get; }

    public long StartedAt { get; }

    public CancellationToken Cancellation => _cancellation;

    // The watchdog's list; only touched under its lock.
    internal ScriptInvocation? WatchPrevious { get; set; }

    internal ScriptInvocation? WatchNext { get; set; }

    internal bool Watched { get; set; }

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
            Complete(new ScriptOutcome(ScriptRunStatus.Canceled, default, failure, _time.GetElapsedTime(StartedAt)));
            return true;
        }

        if (now < Budget.Deadline)
        {
            return false;
        }

        if (_markedAt == 0)
        {
            // The next tick stops an instrumented script; give it one period to do so.
            _markedAt = now;
            Budget.MarkExceeded(BudgetLimit.Duration);
            return false;
        }

        if (now - _markedAt < grace)
        {
            return false;
        }

        var limit = Budget.Exceeded ?? BudgetLimit.Duration;
        var runaway = new ScriptFailure(
            typeof(ScriptBudgetExceededException).FullName!,
            Budget.Describe(limit) + " It did not stop at its deadline (inside a library call or an await); the request was answered and the script's flow left to end on its own.",
            Budget.ExceededAtLine,
            limit);
        Complete(new ScriptOutcome(ScriptRunStatus.BudgetExceeded, default, runaway, _time.GetElapsedTime(StartedAt)) { Runaway = true });
        return true;
    }
}
