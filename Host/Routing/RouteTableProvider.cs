namespace Slardar.Scriptable.Host.Routing;

/// <summary>
/// Owns the current <see cref="RouteTable"/> and keeps it in step with scripts.json. A change on
/// disk is debounced, parsed and validated off the request path, then swapped in atomically; a file
/// that does not parse is logged and the table that is serving stays.
/// </summary>
internal sealed partial class RouteTableProvider : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(150);

    private readonly string _manifestPath;
    private readonly TimeProvider _time;
    private readonly ILogger<RouteTableProvider> _logger;
    private readonly Lock _reloadLock = new();
    private FileSystemWatcher? _watcher;
    private ITimer? _debounceTimer;
    private volatile RouteTable _current = RouteTable.Empty;

    public RouteTableProvider(string manifestPath, TimeProvider time, ILogger<RouteTableProvider> logger)
    {
        _manifestPath = Path.GetFullPath(manifestPath);
        _time = time;
        _logger = logger;
    }

    public RouteTable Current => _current;

    public string ManifestPath => _manifestPath;

    /// <summary>Raised after a new table was swapped in.</summary>
    public event Action<RouteTable>? Changed;

    /// <summary>Raised with the reason when a changed manifest was rejected and the old table kept.</summary>
    public event Action<string>? Rejected;

    /// <summary>Loads the manifest now. A missing file means no bindings; an invalid one keeps the current table.</summary>
    /// <returns>Null on success, else the reason the file was rejected.</returns>
    public string? Reload()
    {
        lock (_reloadLock)
        {
            byte[] content;
            try
            {
                content = File.Exists(_manifestPath) ? File.ReadAllBytes(_manifestPath) : "{}"u8.ToArray();
            }
            catch (IOException ex)
            {
                // An editor may hold the file mid-save; the watcher fires again when it is done.
                Log.ManifestUnreadable(_logger, _manifestPath, ex.Message);
                return ex.Message;
            }

            var result = ManifestParser.Parse(content, Path.GetDirectoryName(_manifestPath));
            if (!result.IsValid)
            {
                Log.ManifestRejected(_logger, _manifestPath, result.Error);
                Rejected?.Invoke(result.Error);
                return result.Error;
            }

            var table = new RouteTable(result.Config);
            _current = table;
            Log.ManifestLoaded(_logger, _manifestPath, result.Config.Hosts.Length);
            Changed?.Invoke(table);
            return null;
        }
    }

    /// <summary>Starts watching the manifest's folder (editors often save by writing a temp file and renaming it).</summary>
    public void StartWatching()
    {
        var folder = Path.GetDirectoryName(_manifestPath)!;
        if (!Directory.Exists(folder))
        {
            Log.ManifestFolderMissing(_logger, folder);
            return;
        }

        _debounceTimer = _time.CreateTimer(_ => Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var watcher = new FileSystemWatcher(folder)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
        watcher.Changed += OnFileEvent;
        watcher.Created += OnFileEvent;
        watcher.Deleted += OnFileEvent;
        watcher.Renamed += OnFileEvent;
        watcher.EnableRaisingEvents = true;
        _watcher = watcher;
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        var touched = string.Equals(e.FullPath, _manifestPath, StringComparison.Ordinal)
            || (e is RenamedEventArgs renamed && string.Equals(renamed.OldFullPath, _manifestPath, StringComparison.Ordinal));
        if (touched)
        {
            _debounceTimer?.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounceTimer?.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Loaded {Path}: {Count} host bindings")]
        public static partial void ManifestLoaded(ILogger logger, string path, int count);

        [LoggerMessage(2, LogLevel.Error, "Rejected {Path}, the previous bindings keep serving: {Reason}")]
        public static partial void ManifestRejected(ILogger logger, string path, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Could not read {Path}: {Reason}")]
        public static partial void ManifestUnreadable(ILogger logger, string path, string reason);

        [LoggerMessage(4, LogLevel.Warning, "The folder {Folder} of the manifest does not exist; scripts.json is not watched")]
        public static partial void ManifestFolderMissing(ILogger logger, string folder);
    }
}
