using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// How one request's scripts wait on the gateway's I/O (reading the client's body, a content script's
/// upstream calls, writes to the client): ended by the request's abort, and for a content script by
/// its <c>content_timeout</c>, whose end comes back to the script as its wall-time overrun. While a
/// content script waits, its time budget stands still (<see cref="ScriptBudget.BeginIoWait"/>).
/// </summary>
internal sealed class ScriptIoWaits : IDisposable
{
    private readonly CancellationToken _aborted;
    private CancellationTokenSource? _deadline;
    private ScriptBudget? _budget;

    public ScriptIoWaits(CancellationToken aborted)
    {
        _aborted = aborted;
        Token = aborted;
    }

    /// <summary>Ends every wait: the request's abort, and the content deadline once attached.</summary>
    public CancellationToken Token { get; private set; }

    /// <summary>
    /// Binds the waits to a content script's invocation: its budget stands still while they run, and
    /// they end at <paramref name="wallTime"/> from now (the budget's own wall bound, so both agree).
    /// </summary>
    public void Attach(ScriptBudget budget, TimeSpan wallTime, TimeProvider time)
    {
        _budget = budget;
        if (wallTime != Timeout.InfiniteTimeSpan)
        {
            _deadline = CancellationTokenSource.CreateLinkedTokenSource(_aborted);
            _deadline.CancelAfter(wallTime);
            Token = _deadline.Token;

            // CancelAfter on a linked source runs on the system clock; a test clock must end it too.
            if (time != TimeProvider.System)
            {
                var timer = time.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), _deadline, wallTime, Timeout.InfiniteTimeSpan);
                _deadline.Token.Register(static t => ((ITimer)t!).Dispose(), timer);
            }
        }
    }

    /// <summary>Runs one wait: the budget's clock stands still meanwhile; the content deadline turns into the script's wall-time overrun.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> wait)
    {
        var budget = _budget;
        budget?.BeginIoWait();
        try
        {
            return await wait(Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (budget is not null && _deadline is { IsCancellationRequested: true } && !_aborted.IsCancellationRequested)
        {
            budget.MarkExceeded(BudgetLimit.WallTime);
            throw budget.CreateException(BudgetLimit.WallTime);
        }
        finally
        {
            budget?.EndIoWait();
        }
    }

    public void Dispose() => _deadline?.Dispose();
}
