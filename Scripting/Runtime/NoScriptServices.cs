using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>The services when the host provides none (scripts run outside a gateway): every use throws.</summary>
internal sealed class NoScriptServices : IScriptServices
{
    public static NoScriptServices Instance { get; } = new();

    public IScriptCache CacheFor(ScriptBudget budget) => throw Unavailable("Cache");

    public IScriptRedis RedisFor(ScriptBudget budget) => throw Unavailable("Redis");

    public IScriptLimit LimitFor(ScriptBudget budget) => throw Unavailable("Limit");

    private static InvalidOperationException Unavailable(string service) => new($"{service} is not available outside a gateway.");
}
