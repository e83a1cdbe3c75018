using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Services.Limits;

/// <summary><c>Limit</c> as one script invocation sees it: a cluster decision's wait is bounded by its budget.</summary>
internal sealed class ScriptLimitView : IScriptLimit
{
    private readonly LimitSet _limits;
    private readonly ScriptBudget _budget;

    public ScriptLimitView(LimitSet limits, ScriptBudget budget)
    {
        _limits = limits;
        _budget = budget;
    }

    public LimitDecision TryAcquire(string name, string key)
    {
        var pending = _limits.AcquireNamedAsync(name, key, _budget.Remaining);
        return pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    public ValueTask<LimitDecision> TryAcquireAsync(string name, string key) => _limits.AcquireNamedAsync(name, key, _budget.Remaining);
}
