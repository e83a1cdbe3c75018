using Slardar.Scriptable.Host.Routing;
using Slardar.Scriptable.Host.Store;
using Slardar.Scriptable.Scripting;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// Script files that scripts.json names for a host (<c>"scripts": {"rewrite": "path.csx"}</c>): read at
/// start and whenever scripts.json changes, and applied through the catalog when their content differs
/// from what serves. Files inside the Scripts folder are also watched live by <see cref="ScriptFolderWatcher"/>.
/// </summary>
internal sealed partial class ManifestScriptFiles
{
    private readonly ScriptCatalog _catalog;
    private readonly ScriptRegistry _registry;
    private readonly ILogger<ManifestScriptFiles> _logger;

    public ManifestScriptFiles(ScriptCatalog catalog, ScriptRegistry registry, ILogger<ManifestScriptFiles> logger)
    {
        _catalog = catalog;
        _registry = registry;
        _logger = logger;
    }

    public async Task SyncAsync(RouteTable table, CancellationToken cancellationToken = default)
    {
        // Stream listeners' preread files, as "stream:<port>"/preread (issue 16).
        var streamFiles = table.Config.Streams
            .Where(s => s.PrereadScriptFile is not null && s.EndPoint.Port != 0)
            .Select(s => (Pattern: s.ScriptPattern, Phase: ScriptPhases.Of(ScriptPhase.Preread).Name, Path: s.PrereadScriptFile!));
        var files = table.Config.Hosts
            .SelectMany(b => b.ScriptFiles.Select(f => (b.Pattern, Phase: f.Key, Path: f.Value)))
            .Concat(streamFiles);
        foreach (var (pattern, phase, path) in files)
        {
            if (!ScriptKey.TryCreate(pattern, phase, out var key, out _))
            {
                continue;
            }

            if (!File.Exists(path))
            {
                Log.Missing(_logger, path, key.StoreName);
                continue;
            }

            var source = await File.ReadAllTextAsync(path, cancellationToken);
            if (_registry.Get(key)?.Source == source)
            {
                continue;
            }

            var result = await _catalog.ApplyAsync(key, source, StoreOrigins.File, "scripts.json", dryRun: false, cancellationToken);
            if (!result.Accepted)
            {
                Log.Rejected(_logger, path, string.Join("; ", result.Diagnostics.Where(d => d.IsError)));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "scripts.json names {Path} for {Key}, but the file does not exist")]
        public static partial void Missing(ILogger logger, string path, string key);

        [LoggerMessage(2, LogLevel.Error, "Script file {Path} named in scripts.json does not compile; the last good version serves: {Errors}")]
        public static partial void Rejected(ILogger logger, string path, string errors);
    }
}
