using Slardar.Scriptable.Host.Store;

namespace Slardar.Scriptable.Host.Certificates;

/// <summary>
/// Certificates from PEM files (<c>Certificates:Files</c>): read at start and again, debounced,
/// whenever a watched file changes (editors and cert-manager/certbot renewals write or rename them).
/// A pair that does not load (half-written, mismatched, expired) is logged and the previous
/// certificate keeps serving; the next handshake after a good reload uses the new one.
/// </summary>
internal sealed partial class CertificateFileWatcher : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    private readonly IReadOnlyList<CertificateFileConfig> _files;
    private readonly CertificateCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ILogger<CertificateFileWatcher> _logger;
    private readonly Lock _reloadLock = new();
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Dictionary<string, string?> _errors = new(StringComparer.OrdinalIgnoreCase);
    private ITimer? _debounceTimer;

    public CertificateFileWatcher(IReadOnlyList<CertificateFileConfig> files, CertificateCatalog catalog, TimeProvider time, ILogger<CertificateFileWatcher> logger)
    {
        _files = files;
        _catalog = catalog;
        _time = time;
        _logger = logger;
    }

    /// <summary>The last load error of each file certificate (null when it loaded).</summary>
    public IReadOnlyDictionary<string, string?> Errors
    {
        get
        {
            lock (_reloadLock)
            {
                return new Dictionary<string, string?>(_errors, StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    public void Start()
    {
        if (_files.Count == 0)
        {
            return;
        }

        ReloadAll();
        _debounceTimer = _time.CreateTimer(_ => ReloadAll(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var folders = _files.SelectMany(f => new[] { Path.GetDirectoryName(f.CertificatePath)!, Path.GetDirectoryName(f.KeyPath)! })
            .Distinct(StringComparer.Ordinal);
        foreach (var folder in folders.Where(Directory.Exists))
        {
            var watcher = new FileSystemWatcher(folder)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += OnFileEvent;
            watcher.Created += OnFileEvent;
            watcher.Deleted += OnFileEvent;
            watcher.Renamed += OnFileEvent;
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    /// <summary>Reads every configured pair now.</summary>
    public void ReloadAll()
    {
        lock (_reloadLock)
        {
            foreach (var file in _files)
            {
                var error = Load(file);
                _errors[file.Name] = error;
                if (error is not null)
                {
                    Log.Refused(_logger, file.Name, file.CertificatePath, error);
                }
            }
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _debounceTimer?.Dispose();
    }

    private string? Load(CertificateFileConfig file)
    {
        string certificate, key;
        try
        {
            // Bounded reads: a huge file is refused before it is read whole.
            if (new FileInfo(file.CertificatePath).Length > CertificateLimits.MaxCertificatePemChars
                || new FileInfo(file.KeyPath).Length > CertificateLimits.MaxKeyPemChars)
            {
                return "a PEM file is larger than the limits (cert 64 KiB, key 16 KiB)";
            }

            certificate = File.ReadAllText(file.CertificatePath);
            key = File.ReadAllText(file.KeyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }

        var parsed = CertificateParser.Parse(file.Name, certificate, key, file.Hosts, StoreOrigins.File, _time.GetUtcNow(), sourcePath: file.CertificatePath);
        return _catalog.SetFromFile(file.Name, parsed);
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        var touched = _files.Any(f => Matches(f, e.FullPath) || (e is RenamedEventArgs renamed && Matches(f, renamed.OldFullPath)));
        if (touched)
        {
            _debounceTimer?.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
    }

    private static bool Matches(CertificateFileConfig file, string path) =>
        string.Equals(file.CertificatePath, path, StringComparison.Ordinal) || string.Equals(file.KeyPath, path, StringComparison.Ordinal);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Certificate {Name} from {Path} not loaded; the previous one (if any) keeps serving: {Reason}")]
        public static partial void Refused(ILogger logger, string name, string path, string reason);
    }
}
