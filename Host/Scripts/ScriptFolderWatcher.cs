using System.Collections.Concurrent;
using Slardar.Scriptable.Host.Store;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// Keeps <c>Scripts/&lt;host&gt;/&lt;phase&gt;.csx</c> and the modules <c>Scripts/_modules/&lt;name&gt;.cs</c>
/// live: a saved file is compiled and, if it compiles,
/// serves the next request; a file that does not compile is logged with its diagnostics (and shown
/// in /scripts) while the last good version serves; a deleted file unbinds. Events are debounced per
/// file, and editors that save by writing a temp file and renaming it over the original work.
/// </summary>
internal sealed partial class ScriptFolderWatcher : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    private readonly string _folder;
    private readonly ScriptCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ILogger<ScriptFolderWatcher> _logger;
    private readonly ConcurrentDictionary<string, ITimer> _pending = new(StringComparer.Ordinal);
    private FileSystemWatcher? _watcher;

    public ScriptFolderWatcher(string folder, ScriptCatalog catalog, TimeProvider time, ILogger<ScriptFolderWatcher> logger)
    {
        _folder = Path.GetFullPath(folder);
        _catalog = catalog;
        _time = time;
        _logger = logger;
    }

    public string Folder => _folder;

    /// <summary>Raised after a file event was handled (path, accepted); tests wait on it.</summary>
    public event Action<string, bool>? Handled;

    /// <summary>
    /// At start: a file newer than the stored version of its script is applied (the latest change
    /// wins, whatever its origin); an older file leaves the stored version serving.
    /// </summary>
    public async Task SyncAsync(Func<ScriptKey, DateTimeOffset?> storedAt, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_folder))
        {
            return;
        }

        // Modules first, one by one: the scripts may use them.
        var modules = Path.Combine(_folder, ScriptModule.Folder);
        if (Directory.Exists(modules))
        {
            foreach (var file in Directory.EnumerateFiles(modules, "*.cs").Order(StringComparer.Ordinal))
            {
                if (TryGetModule(file, out var name)
                    && (_catalog.StoredModule(name) is not { } stored || File.GetLastWriteTimeUtc(file) > stored.UpdatedAt.UtcDateTime))
                {
                    await ApplyModuleFileAsync(file, name, cancellationToken);
                }
            }
        }

        var changed = new List<(string File, ScriptKey Key)>();
        foreach (var file in Directory.EnumerateFiles(_folder, "*.csx", SearchOption.AllDirectories))
        {
            if (TryGetKey(file, out var key)
                && (storedAt(key) is not { } stored || File.GetLastWriteTimeUtc(file) > stored.UtcDateTime))
            {
                changed.Add((file, key));
            }
        }

        // One compile per core at a time: a folder of a thousand new scripts starts in parallel, not one by one.
        await Parallel.ForEachAsync(changed, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (item, token) => await ApplyFileAsync(item.File, item.Key, token));
    }

    public void Start()
    {
        Directory.CreateDirectory(_folder);
        var watcher = new FileSystemWatcher(_folder)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Changed += (_, e) => Schedule(e.FullPath);
        watcher.Created += (_, e) =>
        {
            // A new host folder: files written into it before its own watch was set up send no event.
            if (Directory.Exists(e.FullPath))
            {
                foreach (var file in Directory.EnumerateFiles(e.FullPath, "*.cs*"))
                {
                    Schedule(file);
                }
            }

            Schedule(e.FullPath);
        };
        watcher.Deleted += (_, e) => Schedule(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            Schedule(e.OldFullPath);
            Schedule(e.FullPath);
        };
        watcher.EnableRaisingEvents = true;
        _watcher = watcher;
    }

    private void Schedule(string path)
    {
        if (!TryGetKey(path, out _) && !TryGetModule(path, out _))
        {
            return;
        }

        var timer = _pending.GetOrAdd(path, p => _time.CreateTimer(_ => _ = HandleAsync(p), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        timer.Change(Debounce, Timeout.InfiniteTimeSpan);
    }

    private async Task HandleAsync(string path)
    {
        if (_pending.TryRemove(path, out var timer))
        {
            await timer.DisposeAsync();
        }

        try
        {
            if (TryGetModule(path, out var module))
            {
                var done = File.Exists(path)
                    ? await ApplyModuleFileAsync(path, module, CancellationToken.None)
                    : (await _catalog.DeleteModuleAsync(module, StoreOrigins.File, "file")).Accepted;
                Handled?.Invoke(path, done);
                return;
            }

            if (!TryGetKey(path, out var key))
            {
                return;
            }

            var accepted = File.Exists(path)
                ? await ApplyFileAsync(path, key, CancellationToken.None)
                : (await _catalog.DeleteAsync(key, StoreOrigins.File, "file")).Accepted;
            Handled?.Invoke(path, accepted);
        }
        catch (IOException ex)
        {
            // Mid-save by an editor: the next event brings the finished file.
            Log.Unreadable(_logger, path, ex.Message);
        }
    }

    private async Task<bool> ApplyFileAsync(string path, ScriptKey key, CancellationToken cancellationToken)
    {
        var source = await File.ReadAllTextAsync(path, cancellationToken);
        var result = await _catalog.ApplyAsync(key, source, StoreOrigins.File, "file", dryRun: false, cancellationToken);
        if (!result.Accepted)
        {
            Log.Rejected(_logger, path, string.Join("; ", result.Diagnostics.Where(d => d.IsError)));
        }

        return result.Accepted;
    }

    private async Task<bool> ApplyModuleFileAsync(string path, string name, CancellationToken cancellationToken)
    {
        var source = await File.ReadAllTextAsync(path, cancellationToken);
        if (_catalog.Modules.FirstOrDefault(m => m.Name == name)?.Source == source)
        {
            return true;
        }

        var result = await _catalog.ApplyModuleAsync(name, source, StoreOrigins.File, "file", dryRun: false, cancellationToken);
        if (!result.Accepted)
        {
            var errors = result.Diagnostics.Concat(result.Dependents.SelectMany(static d => d.Diagnostics)).Where(static d => d.IsError);
            Log.Rejected(_logger, path, $"{result.Error}: {string.Join("; ", errors)}");
        }

        return result.Accepted;
    }

    /// <summary><c>Scripts/_modules/&lt;name&gt;.cs</c>.</summary>
    private bool TryGetModule(string path, out string name)
    {
        var parts = Path.GetRelativePath(_folder, path).Split(Path.DirectorySeparatorChar);
        name = parts.Length == 2 && parts[0] == ScriptModule.Folder && parts[1].EndsWith(".cs", StringComparison.Ordinal)
            ? Path.GetFileNameWithoutExtension(parts[1])
            : string.Empty;
        return ScriptModule.IsValidName(name);
    }

    /// <summary><c>Scripts/&lt;host pattern&gt;/&lt;phase&gt;.csx</c> (a stream listener's: <c>Scripts/stream_&lt;port&gt;/preread.csx</c>), exactly one folder deep.</summary>
    private bool TryGetKey(string path, out ScriptKey key)
    {
        key = default;
        var relative = Path.GetRelativePath(_folder, path);
        var parts = relative.Split(Path.DirectorySeparatorChar);
        return parts.Length == 2
            && parts[1].EndsWith(".csx", StringComparison.OrdinalIgnoreCase)
            && ScriptKey.TryCreate(Streams.StreamScriptNames.PatternFromFolder(parts[0]), Path.GetFileNameWithoutExtension(parts[1]), out key, out _);
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        foreach (var timer in _pending.Values)
        {
            timer.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Script file {Path} does not compile; the last good version serves: {Errors}")]
        public static partial void Rejected(ILogger logger, string path, string errors);

        [LoggerMessage(2, LogLevel.Warning, "Script file {Path} could not be read: {Reason}")]
        public static partial void Unreadable(ILogger logger, string path, string reason);
    }
}
