using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Services.Caching;

/// <summary><c>Cache</c> as one script invocation sees it: waits are bounded by that invocation's budget.</summary>
internal sealed class ScriptCacheView : IScriptCache
{
    private readonly CacheSet _caches;
    private readonly ScriptBudget _budget;

    public ScriptCacheView(CacheSet caches, ScriptBudget budget)
    {
        _caches = caches;
        _budget = budget;
    }

    public ValueTask<CacheResult<T>> GetAsync<T>(string cacheName, string key, Func<Task<T?>> loader)
        where T : class => _caches.Get(cacheName).GetAsync(key, loader, _budget.Remaining);

    public bool Remove(string cacheName, string key) => _caches.Purge(cacheName, key) > 0;
}
