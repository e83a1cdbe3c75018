using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Slardar.Scriptable.Host.Scripts.Compiler;
using Slardar.Scriptable.Host.Store;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// Compiles scripts through the store's image cache: an image kept for the same script name and the
/// same <see cref="ScriptCacheKey"/> (same source, phase, path, trust and compiler build) is loaded
/// instead of compiled, after the image guard checks it again. That is what makes a restart with a
/// thousand host scripts take seconds. A cache that cannot be read is a miss, never an error.
/// Misses go to the <see cref="CompileWorker"/>, except sources the worker crashed on before: those
/// are kept by cache key in the store and refused without being sent again (no crash at every start).
/// </summary>
internal sealed partial class CompiledScriptCache
{
    private readonly CompileWorker _compiler;
    private readonly GatewayStore _store;
    private readonly ILogger<CompiledScriptCache> _logger;
    private long _hits;
    private long _misses;

    public CompiledScriptCache(CompileWorker compiler, GatewayStore store, ILogger<CompiledScriptCache> logger)
    {
        _compiler = compiler;
        _store = store;
        _logger = logger;
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <param name="refusable">See <see cref="CompileWorker.CompileAsync"/>: admin API compiles may be refused when the queue is full.</param>
    public async Task<ScriptCompileResult> CompileAsync(string name, ScriptCompileRequest request, CancellationToken cancellationToken, bool refusable = false)
    {
        var key = ScriptCacheKey.For(request);
        if (Lookup(name, key, request) is { } cached)
        {
            Interlocked.Increment(ref _hits);
            return ScriptCompileResult.Compiled(cached);
        }

        Interlocked.Increment(ref _misses);
        if (CrashedEarlier(name, key) is not null)
        {
            return ScriptCompileResult.Refused(CompileRefusals.CrashedEarlier());
        }

        var result = await _compiler.CompileAsync(request, refusable, cancellationToken);
        if (result.Refusal is { Kind: ScriptCompileRefusalKind.Crashed } refusal)
        {
            MarkCrashed(name, key, refusal.Message);
        }

        return result;
    }

    /// <summary>Keeps the image of a script that was just activated under <paramref name="name"/>.</summary>
    /// <param name="modules">The modules the script was compiled with (part of the cache key).</param>
    public void Remember(string name, string source, CompiledScript script, ImmutableArray<ScriptModule> modules)
    {
        var request = new ScriptCompileRequest(source, script.Phase) { Path = script.Path, Trusted = script.Trusted, Limits = script.Limits, Modules = modules };
        try
        {
            _store.PutImage(new StoredImage(name, ScriptCacheKey.For(request), [.. script.Image], [.. script.Pdb],
                JsonSerializer.Serialize(script.Warnings)) { Modules = string.Join(',', script.Modules) });
        }
        catch (SqliteException ex)
        {
            Log.WriteFailed(_logger, name, ex.Message);
        }
    }

    public void Forget(string name)
    {
        try
        {
            _store.DeleteImage(name);
        }
        catch (SqliteException ex)
        {
            Log.WriteFailed(_logger, name, ex.Message);
        }
    }

    private CompiledScript? Lookup(string name, string key, ScriptCompileRequest request)
    {
        try
        {
            var stored = _store.GetImage(name);
            if (stored is null || stored.CacheKey != key)
            {
                return null;
            }

            var warnings = JsonSerializer.Deserialize<ImmutableArray<ScriptDiagnostic>>(stored.WarningsJson);
            var modules = stored.Modules.Split(',', StringSplitOptions.RemoveEmptyEntries);
            return ScriptImageCheck.Admit(request, [.. stored.Image], [.. stored.Pdb], warnings, [.. modules]).Script;
        }
        catch (Exception ex) when (ex is SqliteException or JsonException)
        {
            Log.ReadFailed(_logger, name, ex.Message);
            return null;
        }
    }

    private StoredCompileCrash? CrashedEarlier(string name, string key)
    {
        try
        {
            return _store.GetCompileCrash(key);
        }
        catch (SqliteException ex)
        {
            Log.ReadFailed(_logger, name, ex.Message);
            return null;
        }
    }

    private void MarkCrashed(string name, string key, string reason)
    {
        Log.Crashed(_logger, name);
        try
        {
            _store.PutCompileCrash(new StoredCompileCrash(key, name, reason));
        }
        catch (SqliteException ex)
        {
            Log.WriteFailed(_logger, name, ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Compiled image of script {Name} could not be read from the store, compiling instead: {Reason}")]
        public static partial void ReadFailed(ILogger logger, string name, string reason);

        [LoggerMessage(2, LogLevel.Warning, "Compiled image of script {Name} could not be kept in the store (the next start compiles it): {Reason}")]
        public static partial void WriteFailed(ILogger logger, string name, string reason);

        [LoggerMessage(3, LogLevel.Error, "The compiler crashed on script {Name}; its source is marked and not sent to the compiler again")]
        public static partial void Crashed(ILogger logger, string name);
    }
}
