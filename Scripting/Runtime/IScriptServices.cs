using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// The gateway's services as one script invocation sees them (<c>Cache</c>, <c>Redis</c>,
/// <c>Limit</c>): each view is bound to the invocation's budget, so a wait on a loader or on Redis
/// counts against it. One per gateway instance, handed to scripts through their generation like
/// <c>Config</c>, never through statics.
/// </summary>
internal interface IScriptServices
{
    IScriptCache CacheFor(ScriptBudget budget);

    IScriptRedis RedisFor(ScriptBudget budget);

    IScriptLimit LimitFor(ScriptBudget budget);
}
