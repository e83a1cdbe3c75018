using System.Collections.Concurrent;
using System.Collections.Immutable;
using Slardar.Scriptable.Host.Routing;
using Slardar.Scriptable.Host.Store;
using Slardar.Scriptable.Host.Streams;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Loading;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// The one write path for scripts, whatever their source (admin API, Scripts folder, Consul):
/// compile off the request path → persist the source (versioned, with origin) → load a new
/// collectible generation → swap it in → retire the old one → acknowledge. A script that does not
/// compile changes nothing that serves; its diagnostics are kept for /scripts. The modules scripts
/// share go through the same path and lock (ScriptCatalog.Modules.cs): every compile here is against
/// the module set current when it is activated.
/// </summary>
internal sealed partial class ScriptCatalog : IDisposable
{
    private readonly CompiledScriptCache _cache;
    private readonly ScriptRegistry _registry;
    private readonly GatewayStore _store;
    private readonly RouteTableProvider _routes;
    private readonly ScriptGenerationTracker _tracker;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<ScriptCatalog> _logger;
    private readonly TimeProvider _time;
    private readonly IScriptConfig _config;
    private readonly ScriptRuntime _runtime;
    private readonly ScriptQuarantineOptions _quarantine;
    private readonly IScriptServices? _services;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<ScriptKey, ScriptCounters> _counters = new();
    private readonly ConcurrentDictionary<ScriptKey, ScriptCompileState> _states = new();
    private readonly ConcurrentDictionary<ScriptKey, ScriptLogLimiter> _logLimiters = new();
    private readonly ScriptLogOptions _logOptions;

    public ScriptCatalog(CompiledScriptCache cache, ScriptRegistry registry, GatewayStore store, RouteTableProvider routes, ScriptGenerationTracker tracker, ILoggerFactory loggerFactory, TimeProvider time, IScriptConfig config, ScriptLogOptions logOptions, ScriptRuntime runtime, ScriptQuarantineOptions quarantine, IScriptServices? services = null)
    {
        _services = services;
        _logOptions = logOptions;
        _cache = cache;
        _registry = registry;
        _store = store;
        _routes = routes;
        _tracker = tracker;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ScriptCatalog>();
        _time = time;
        _config = config;
        _runtime = runtime;
        _quarantine = quarantine;
    }

    public IReadOnlyDictionary<ScriptKey, ScriptCompileState> CompileStates => _states;

    /// <summary>Every script with a compile state or a serving version, for /scripts and metrics.</summary>
    public IReadOnlyCollection<ScriptKey> Keys
    {
        get
        {
            var keys = new HashSet<ScriptKey>(_states.Keys);
            foreach (var set in _registry.ByPattern.Values)
            {
                foreach (var active in set.Active)
                {
                    keys.Add(active.Key);
                }
            }

            return keys;
        }
    }

    public ScriptCounters CountersFor(ScriptKey key) => _counters.GetOrAdd(key, static _ => new ScriptCounters());

    /// <summary>Log lines of the script that its rate limit refused (<c>Scripts:Log:LinesPerSecond</c>).</summary>
    public long LogDroppedFor(ScriptKey key) => _logLimiters.TryGetValue(key, out var limiter) ? limiter.Dropped : 0;

    /// <summary>Compiles <paramref name="source"/>; unless <paramref name="dryRun"/>, stores and activates it.</summary>
    public async Task<ScriptChangeResult> ApplyAsync(ScriptKey key, string source, string origin, string actor, bool dryRun, CancellationToken cancellationToken = default)
    {
        var modules = _modules;
        var startedAt = _time.GetTimestamp();
        var compiled = await CompileAsync(key, source, cancellationToken, refusable: origin == StoreOrigins.Api, modules: modules);
        var compileTime = _time.GetElapsedTime(startedAt);
        if (!compiled.Success)
        {
            if (!dryRun && compiled.Refusal is not { Transient: true })
            {
                _states[key] = new ScriptCompileState(false, origin, _time.GetUtcNow(), compiled.Diagnostics);
                Log.CompileFailed(_logger, key.StoreName, origin, string.Join("; ", compiled.Errors));
            }

            return ScriptChangeResult.NotCompiled(compiled, "script does not compile");
        }

        if (dryRun)
        {
            return ScriptChangeResult.Ok(null, compiled.Diagnostics) with { Timing = new(compileTime, TimeSpan.Zero, TimeSpan.Zero) };
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            // Durable first: nothing serves, or is acknowledged, before it is on disk.
            // A module changed while this compiled: compile again against the set that serves now.
            if (modules != _modules)
            {
                modules = _modules;
                compiled = await CompileAsync(key, source, cancellationToken, modules: modules);
                if (!compiled.Success)
                {
                    return ScriptChangeResult.NotCompiled(compiled, "script does not compile");
                }
            }

            var storeStartedAt = _time.GetTimestamp();
            var stored = _store.Put(StoreKinds.Script, key.StoreName, source, origin, actor, "script.update");
            var storeTime = _time.GetElapsedTime(storeStartedAt);
            if (stored.Unchanged && _registry.Get(key) is { } current && current.Sha256 == stored.Sha256 && current.ModuleSet == modules)
            {
                return ScriptChangeResult.Ok(stored.Version, compiled.Diagnostics) with { Timing = new(compileTime, storeTime, TimeSpan.Zero) };
            }

            var loadStartedAt = _time.GetTimestamp();
            Activate(key, compiled.Script!, stored.Version, stored.Sha256!, origin, stored.CreatedAt, source, modules);
            return ScriptChangeResult.Ok(stored.Version, compiled.Diagnostics) with { Timing = new(compileTime, storeTime, _time.GetElapsedTime(loadStartedAt)) };
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<ScriptChangeResult> DeleteAsync(ScriptKey key, string origin, string actor, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_store.Get(StoreKinds.Script, key.StoreName) is null && _registry.Get(key) is null)
            {
                return ScriptChangeResult.Fail($"script {key.StoreName} not found");
            }

            var version = _store.Delete(StoreKinds.Script, key.StoreName, origin, actor, "script.delete");
            _registry.Swap(key, null)?.Generation.Retire();
            _states.TryRemove(key, out _);
            _cache.Forget(key.StoreName);
            Log.Unbound(_logger, key.StoreName, origin);
            return ScriptChangeResult.Ok(version?.Version, []);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Makes an earlier version serve again (as a new version), after compiling it anew.</summary>
    public async Task<ScriptChangeResult> RollbackAsync(ScriptKey key, int version, string actor, CancellationToken cancellationToken = default)
    {
        var modules = _modules;
        var (source, compiled, failure) = await PrepareRollbackAsync(key, version, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (modules != _modules)
            {
                modules = _modules;
                compiled = await CompileAsync(key, source!, cancellationToken, modules: modules);
                if (!compiled.Success)
                {
                    return ScriptChangeResult.NotCompiled(compiled, $"version {version} no longer compiles");
                }
            }

            var stored = _store.Rollback(StoreKinds.Script, key.StoreName, version, actor, "script.rollback");
            Activate(key, compiled!.Script!, stored.Version, stored.Sha256!, StoreOrigins.Rollback, stored.CreatedAt, source!, modules);
            return ScriptChangeResult.Ok(stored.Version, compiled.Diagnostics);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The source of an earlier version if it still compiles (to check a rollback before it goes to Consul), else why not.</summary>
    public async Task<(string? Source, ScriptCompileResult? Compiled, ScriptChangeResult? Failure)> PrepareRollbackAsync(
        ScriptKey key, int version, CancellationToken cancellationToken = default)
    {
        var old = _store.GetVersion(StoreKinds.Script, key.StoreName, version);
        if (old is null || old.Content is null)
        {
            return (null, null, ScriptChangeResult.Fail(old is null ? $"script {key.StoreName} has no version {version}" : $"version {version} of script {key.StoreName} is a deletion"));
        }

        var compiled = await CompileAsync(key, old.Content, cancellationToken, modules: _modules);
        return compiled.Success
            ? (old.Content, compiled, null)
            : (null, null, ScriptChangeResult.NotCompiled(compiled, $"version {version} no longer compiles"));
    }

    public IReadOnlyList<StoredVersion> Versions(ScriptKey key) => _store.Versions(StoreKinds.Script, key.StoreName);

    /// <summary>At start: every stored script compiles in parallel and serves; a stored one that no longer compiles is logged and visible.</summary>
    public async Task LoadStoredAsync(CancellationToken cancellationToken = default)
    {
        LoadStoredModules();
        var modules = _modules;
        var documents = _store.List(StoreKinds.Script);
        var compiles = documents.Select(async document =>
        {
            if (!ScriptKey.TryParseStoreName(document.Name, out var key))
            {
                return;
            }

            var compiled = await CompileAsync(key, document.Content, cancellationToken, modules: modules);
            if (!compiled.Success)
            {
                _states[key] = new ScriptCompileState(false, document.Origin, _time.GetUtcNow(), compiled.Diagnostics);
                Log.CompileFailed(_logger, key.StoreName, document.Origin, string.Join("; ", compiled.Errors));
                return;
            }

            Activate(key, compiled.Script!, document.Version, ContentHash.Sha256Hex(document.Content), document.Origin, document.UpdatedAt, document.Content, modules);
        });
        await Task.WhenAll(compiles);
    }

    /// <summary>
    /// After scripts.json changed: a serving script whose host's (or stream listener's) <c>trusted</c>, <c>budget_ms</c> or <c>budget_mb</c>
    /// changed is compiled again under the new options and swapped in (same stored version). If it
    /// no longer compiles (trust was taken away from code that needs it) the old generation keeps
    /// serving and the error shows in /scripts.
    /// </summary>
    public async Task RefreshOptionsAsync(RouteTable table, CancellationToken cancellationToken = default)
    {
        foreach (var set in _registry.ByPattern.Values)
        {
            foreach (var active in set.Active)
            {
                var (trusted, limits) = OptionsFor(table, active.Key.Pattern);
                if (trusted == active.Trusted && limits == active.Limits)
                {
                    continue;
                }

                var modules = _modules;
                var compiled = await CompileAsync(active.Key, active.Source, cancellationToken, table, modules: modules);
                await _writeLock.WaitAsync(cancellationToken);
                try
                {
                    if (_registry.Get(active.Key) != active)
                    {
                        continue;
                    }

                    if (modules != _modules)
                    {
                        modules = _modules;
                        compiled = await CompileAsync(active.Key, active.Source, cancellationToken, table, modules: modules);
                    }

                    if (compiled.Success)
                    {
                        Activate(active.Key, compiled.Script!, active.Version, active.Sha256, active.Origin, active.UpdatedAt, active.Source, modules);
                    }
                    else
                    {
                        _states[active.Key] = new ScriptCompileState(false, "scripts.json", _time.GetUtcNow(), compiled.Diagnostics);
                        Log.CompileFailed(_logger, active.Key.StoreName, "scripts.json", string.Join("; ", compiled.Errors));
                    }
                }
                finally
                {
                    _writeLock.Release();
                }
            }
        }
    }

    // A host's options from its binding, a stream listener's (stream:<port>) from its entry: the same
    // fields, so the same limits; a pattern scripts.json does not list gets the defaults.
    private static (bool Trusted, ScriptLimits Limits) OptionsFor(RouteTable table, string pattern)
    {
        if (StreamScriptNames.IsPattern(pattern))
        {
            var stream = table.Config.Streams.FirstOrDefault(s => s.EndPoint.Port != 0 && string.Equals(s.ScriptPattern, pattern, StringComparison.OrdinalIgnoreCase));
            return (stream?.Trusted ?? false, LimitsOf(stream?.Budget, stream?.AllocationBudget, wallTime: null));
        }

        var binding = table.Config.Hosts.FirstOrDefault(h => h.Pattern == pattern);

        // Only a content script waits on upstreams with its clock standing still; the wall-time bound is for it.
        return (binding?.Trusted ?? false, LimitsOf(binding?.Budget, binding?.AllocationBudget, binding?.ContentTimeout));
    }

    private static ScriptLimits LimitsOf(TimeSpan? budget, long? allocationBudget, TimeSpan? wallTime)
    {
        var limits = ScriptLimits.Default;
        if (budget is { } duration)
        {
            limits = limits with { MaxDuration = duration };
        }

        if (allocationBudget is { } bytes)
        {
            limits = limits with { MaxAllocatedBytes = bytes };
        }

        if (wallTime is { } bound)
        {
            limits = limits with { MaxWallTime = bound };
        }

        return limits;
    }

    /// <param name="modules">The module set to compile against (<see cref="Modules"/> as the caller read it).</param>
    private Task<ScriptCompileResult> CompileAsync(ScriptKey key, string source, CancellationToken cancellationToken, RouteTable? table = null, bool refusable = false, ImmutableArray<ScriptModule> modules = default)
    {
        var (trusted, limits) = OptionsFor(table ?? _routes.Current, key.Pattern);
        return _cache.CompileAsync(
            key.StoreName,
            new ScriptCompileRequest(source, key.Phase) { Path = $"{key.StoreName}.csx", Trusted = trusted, Limits = limits, Modules = modules.IsDefault ? _modules : modules },
            cancellationToken,
            refusable);
    }

    private void Activate(ScriptKey key, CompiledScript script, int version, string sha256, string origin, DateTimeOffset updatedAt, string source, ImmutableArray<ScriptModule> modules)
    {
        var active = Load(key, script, version, sha256, origin, updatedAt, source, modules);

        // Requests in flight finish on the old generation; it unloads when the last one leaves.
        _registry.Swap(key, active)?.Generation.Retire();
        Activated(active, script, modules);
    }

    private ActiveScript Load(ScriptKey key, CompiledScript script, int version, string sha256, string origin, DateTimeOffset updatedAt, string source, ImmutableArray<ScriptModule> modules)
    {
        var generation = ScriptGeneration.Load(script, CountersFor(key), _tracker, _time, _config, _runtime, _services);

        // A new quarantine state: a new version (or the same one under new options) serves again.
        return new ActiveScript(key, generation, version, sha256, origin, updatedAt, source, script.Limits, script.Trusted,
            new ScriptLogAdapter(_loggerFactory, key, _logLimiters.GetOrAdd(key, _ => new ScriptLogLimiter(_logOptions, _time))), new ScriptQuarantine(_quarantine, _time))
        {
            Modules = script.Modules,
            ModuleSet = modules,
        };
    }

    private void Activated(ActiveScript active, CompiledScript script, ImmutableArray<ScriptModule> modules)
    {
        _states[active.Key] = new ScriptCompileState(true, active.Origin, _time.GetUtcNow(), script.Warnings);
        _cache.Remember(active.Key.StoreName, active.Source, script, modules);
        Log.Activated(_logger, active.Key.StoreName, active.Version, active.Origin);
    }

    public void Dispose() => _writeLock.Dispose();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Script {Key} version {Version} serves (origin {Origin})")]
        public static partial void Activated(ILogger logger, string key, int version, string origin);

        [LoggerMessage(2, LogLevel.Error, "Script {Key} from {Origin} does not compile; the serving version stays: {Errors}")]
        public static partial void CompileFailed(ILogger logger, string key, string origin, string errors);

        [LoggerMessage(3, LogLevel.Information, "Script {Key} unbound (origin {Origin})")]
        public static partial void Unbound(ILogger logger, string key, string origin);

        [LoggerMessage(4, LogLevel.Information, "Module {Name} version {Version} serves, with the {Scripts} script(s) compiled again with it")]
        public static partial void ModuleChanged(ILogger logger, string name, int version, int scripts);

        [LoggerMessage(5, LogLevel.Information, "Module {Name} deleted (origin {Origin})")]
        public static partial void ModuleDeleted(ILogger logger, string name, string origin);
    }
}
