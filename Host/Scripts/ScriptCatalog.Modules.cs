using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Slardar.Scriptable.Host.Store;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// Modules, on the scripts' write path and under its lock: a change is compiled on its own (every
/// module together), then every script it affects is compiled again against the new set; only if
/// all of them compile is the module stored and the scripts swapped in, in one registry snapshot.
/// Otherwise nothing changes and the answer carries each failing script's diagnostics.
/// </summary>
internal sealed partial class ScriptCatalog
{
    // Sorted by name, replaced whole under the write lock; one reference, so a read never tears.
    private ImmutableArray<ScriptModule> _modules = [];

    /// <summary>The modules scripts compile against now.</summary>
    public ImmutableArray<ScriptModule> Modules => _modules;

    /// <summary>The serving scripts whose image holds <paramref name="module"/> (<c>host/phase</c>, sorted).</summary>
    public IReadOnlyList<string> ModuleUsers(string module) =>
        [.. Serving().Where(a => a.Modules.Contains(module)).Select(static a => a.Key.StoreName).Order(StringComparer.Ordinal)];

    public StoredDocument? StoredModule(string name) => _store.Get(StoreKinds.Module, name);

    public IReadOnlyList<StoredVersion> ModuleVersions(string name) => _store.Versions(StoreKinds.Module, name);

    /// <summary>Checks <paramref name="source"/> as module <paramref name="name"/> with its dependents; unless <paramref name="dryRun"/>, stores it and swaps them.</summary>
    public Task<ModuleChangeResult> ApplyModuleAsync(string name, string source, string origin, string actor, bool dryRun, CancellationToken cancellationToken = default) =>
        ChangeModuleAsync(name, source, dryRun, () => _store.Put(StoreKinds.Module, name, source, origin, actor, "module.update"), cancellationToken);

    /// <summary>Makes an earlier version of a module serve again (as a new version), if it and its dependents compile.</summary>
    public Task<ModuleChangeResult> RollbackModuleAsync(string name, int version, string actor, CancellationToken cancellationToken = default)
    {
        var old = _store.GetVersion(StoreKinds.Module, name, version);
        if (old?.Content is not { } content)
        {
            return Task.FromResult(ModuleChangeResult.Fail(
                old is null ? 404 : 400, old is null ? $"module {name} has no version {version}" : $"version {version} of module {name} is a deletion"));
        }

        return ChangeModuleAsync(name, content, dryRun: false, () => _store.Rollback(StoreKinds.Module, name, version, actor, "module.rollback"), cancellationToken);
    }

    /// <summary>Removes a module no serving script uses (and no other module needs).</summary>
    public async Task<ModuleChangeResult> DeleteModuleAsync(string name, string origin, string actor, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (!_modules.Any(m => m.Name == name) && _store.Get(StoreKinds.Module, name) is null)
            {
                return ModuleChangeResult.Fail(404, $"module {name} not found");
            }

            if (ModuleUsers(name) is { Count: > 0 } users)
            {
                return ModuleChangeResult.Fail(409, $"module {name} is used by {string.Join(", ", users)}; change or delete them first") with { Users = [.. users] };
            }

            var next = _modules.RemoveAll(m => m.Name == name);
            if (next.Length > 0 && await CheckModulesAsync(next, cancellationToken) is { Success: false } broken)
            {
                return ModuleChangeResult.NotCompiled(broken, $"other modules use module {name}");
            }

            var version = _store.Delete(StoreKinds.Module, name, origin, actor, "module.delete");
            _modules = next;
            Log.ModuleDeleted(_logger, name, origin);
            return ModuleChangeResult.Ok(version?.Version, [], []);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void LoadStoredModules() => _modules = [.. _store.List(StoreKinds.Module)
        .Where(static d => ScriptModule.IsValidName(d.Name))
        .Select(static d => new ScriptModule(d.Name, d.Content))
        .OrderBy(static m => m.Name, StringComparer.Ordinal)];

    private async Task<ModuleChangeResult> ChangeModuleAsync(string name, string source, bool dryRun, Func<StoredVersion> commit, CancellationToken cancellationToken)
    {
        if (!ScriptModule.IsValidName(name))
        {
            return ModuleChangeResult.Fail(400, $"\"{name}\" is not a module name (lower-case letters, digits, '.', '-', '_'; up to 64)");
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var next = _modules.RemoveAll(m => m.Name == name).Add(new ScriptModule(name, source)).Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            var own = await CheckModulesAsync(next, cancellationToken);
            if (!own.Success)
            {
                return ModuleChangeResult.NotCompiled(own, $"module {name} does not compile");
            }

            var affected = Affected(name, source);
            var compiles = await Task.WhenAll(affected.Select(async active => (Active: active, Compiled: await CompileAsync(active.Key, active.Source, cancellationToken, modules: next))));
            if (compiles.FirstOrDefault(static c => c.Compiled.Refusal is { Transient: true }).Compiled is { } busy)
            {
                return ModuleChangeResult.NotCompiled(busy, busy.Refusal!.Message);
            }

            var failures = compiles.Where(static c => !c.Compiled.Success)
                .Select(static c => new DependentFailure(c.Active.Key.StoreName, c.Compiled.Diagnostics))
                .ToImmutableArray();
            if (failures.Length > 0)
            {
                return ModuleChangeResult.Fail(400, $"module {name} would break {failures.Length} script(s): {string.Join(", ", failures.Select(static f => f.Script))}", own.Diagnostics)
                    with { Dependents = failures };
            }

            var recompiled = compiles.Select(static c => c.Active.Key.StoreName).Order(StringComparer.Ordinal).ToImmutableArray();
            var warnings = own.Diagnostics.Where(d => d.File == new ScriptModule(name, source).Path).ToImmutableArray();
            if (dryRun)
            {
                return ModuleChangeResult.Ok(null, warnings, recompiled);
            }

            // Loaded before anything is stored: a generation that fails to load changes nothing either.
            var loaded = new List<ActiveScript>(compiles.Length);
            try
            {
                foreach (var (active, compiled) in compiles)
                {
                    loaded.Add(Load(active.Key, compiled.Script!, active.Version, active.Sha256, active.Origin, active.UpdatedAt, active.Source, next));
                }
            }
            catch
            {
                loaded.ForEach(static a => a.Generation.Retire());
                throw;
            }

            var stored = commit();
            _modules = next;
            foreach (var replaced in _registry.SwapAll(loaded))
            {
                replaced.Generation.Retire();
            }

            for (var i = 0; i < loaded.Count; i++)
            {
                Activated(loaded[i], compiles[i].Compiled.Script!, next);
            }

            Log.ModuleChanged(_logger, name, stored.Version, loaded.Count);
            return ModuleChangeResult.Ok(stored.Version, warnings, recompiled);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // Every module at once, in an empty script: the module's own errors, at its own lines.
    private Task<ScriptCompileResult> CheckModulesAsync(ImmutableArray<ScriptModule> modules, CancellationToken cancellationToken) =>
        _cache.CompileAsync(
            ScriptModule.Folder,
            new ScriptCompileRequest(string.Empty, ScriptPhases.Default.Phase) { Path = ScriptModule.Folder + "/check.csx", Modules = modules, AllModules = true },
            cancellationToken);

    // The scripts a change of the module can change: those compiled with it, and those naming
    // something it declares now (a new module can make a name ambiguous in a script that never used it).
    private List<ActiveScript> Affected(string name, string source)
    {
        var declared = DeclaredNames(source);
        return [.. Serving().Where(a => a.Modules.Contains(name) || declared.Any(d => Regex.IsMatch(a.Source, $@"\b{Regex.Escape(d)}\b", RegexOptions.None, TimeSpan.FromSeconds(1))))];
    }

    private static HashSet<string> DeclaredNames(string source)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in DeclarationPattern().Matches(source))
        {
            foreach (var part in match.Groups["name"].Value.Split('.', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                names.Add(part.TrimStart('@'));
            }
        }

        return names;
    }

    private IEnumerable<ActiveScript> Serving() => _registry.ByPattern.Values.SelectMany(static set => set.Active);

    [GeneratedRegex(@"\b(?:namespace|class|struct|interface|enum|record|delegate\s+[\w<>\[\],.?]+)\s+(?<name>@?[A-Za-z_][\w.]*)", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DeclarationPattern();
}
