using Slardar.Scriptable.Host.Services.Caching;
using Slardar.Scriptable.Host.Services.Limits;
using Slardar.Scriptable.Host.Services.Redis;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Services;

/// <summary>This gateway's <c>Cache</c>, <c>Redis</c> and <c>Limit</c>, handed to its scripts' generations; each view is bound to one invocation's budget.</summary>
internal sealed class GatewayScriptServices : IScriptServices
{
    private readonly CacheSet _caches;
    private readonly RedisConnections _redis;
    private readonly LimitSet _limits;
    private readonly TimeProvider _time;

    public GatewayScriptServices(CacheSet caches, RedisConnections redis, LimitSet limits, TimeProvider time)
    {
        _caches = caches;
        _redis = redis;
        _limits = limits;
        _time = time;
    }

    public IScriptCache CacheFor(ScriptBudget budget) => new ScriptCacheView(_caches, budget);

    public IScriptRedis RedisFor(ScriptBudget budget) => new ScriptRedisView(_redis, RedisConnectionConfig.DefaultName, budget, _time);

    public IScriptLimit LimitFor(ScriptBudget budget) => new ScriptLimitView(_limits, budget);
}
