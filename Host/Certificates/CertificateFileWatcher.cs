using Slardar.Scriptable.Host.Store;

namespace Slardar.Scriptable.Host.Certificates;

/// <summary>
/// Certificates from PEM files, declared in configuration (<c>Certificates:Files</c>, fixed for the
/// process) or in scripts.json (<c>"certificates"</c>, replaced whenever the manifest is): read at
/// start and again, debounced, whenever a watched file changes (editors and cert-manager/certbot
/// renewals write or rename them). A pair that does not load (half-written, mismatched, expired) is
/// logged, shown in /status and /certs, and the previous certificate keeps serving; the next
/// handshake after a good reload uses the new one.
/// </summary>
internal sealed partial class CertificateFileWatcher : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    private readonly IReadOnlyList<CertificateFileConfig> _configured;
    private readonly ICertificateFileTarget _target;
    private readonly TimeProvider _time;
    private readonly ILogger<CertificateFileWatcher> _logger;
    private readonly Lock _reloadLock = new();
    private readonly Dictionary<string, FileSystemWatcher> _watchers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _errors = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyList<CertificateFileConfig> _manifest = [];

    // Configured then manifest entries: what file events are matched against (swapped whole).
    private volatile IReadOnlyList<CertificateFileConfig> _all;
    private ITimer? _debounceTimer;
    private bool _disposed;

    public CertificateFileWatcher(IReadOnlyList<CertificateFileConfig> files, ICertificateFileTarget target, TimeProvider time, ILogger<CertificateFileWatcher> logger)
    {
        _configured = files;
        _all = files;
        _target = target;
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
        lock (_reloadLock)
        {
            _debounceTimer ??= _time.CreateTimer(_ => ReloadAll(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            WatchFolders();
        }

        ReloadAll();
    }

    /// <summary>
    /// The manifest's certificates, after scripts.json loaded or changed: entries gone from it stop
    /// serving, new and changed ones are read now. A name that configuration declares stays configuration's.
    /// </summary>
    public void UseManifest(IReadOnlyList<CertificateFileConfig> files)
    {
        lock (_reloadLock)
        {
            var kept = new List<CertificateFileConfig>();
            foreach (var file in files)
            {
                if (_configured.Any(c => string.Equals(c.Name, file.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    _errors[file.Name] = $"{file.Source}: the name {file.Name} is declared by {CertificateFileConfig.ConfigurationSource}, which wins";
                    Log.Refused(_logger, file.Name, file.CertificatePath, _errors[file.Name]!);
                    continue;
                }

                kept.Add(file);
            }

            foreach (var gone in _manifest.Where(old => !kept.Any(f => string.Equals(f.Name, old.Name, StringComparison.OrdinalIgnoreCase))))
            {
                _target.SetFromFile(gone.Name, null);
                _errors.Remove(gone.Name);
            }

            _manifest = kept;
            _all = [.. _configured, .. kept];
            WatchFolders();
            foreach (var file in kept)
            {
                LoadAndRecord(file);
            }
        }
    }

    /// <summary>Reads every declared pair now.</summary>
    public void ReloadAll()
    {
        lock (_reloadLock)
        {
            foreach (var file in _all)
            {
                LoadAndRecord(file);
            }
        }
    }

    public void Dispose()
    {
        lock (_reloadLock)
        {
            _disposed = true;
            foreach (var watcher in _watchers.Values)
            {
                watcher.Dispose();
            }

            _debounceTimer?.Dispose();
        }
    }

    private void LoadAndRecord(CertificateFileConfig file)
    {
        var error = Load(file);
        _errors[file.Name] = error;
        if (error is not null)
        {
            Log.Refused(_logger, file.Name, file.CertificatePath, error);
        }
    }

    private void WatchFolders()
    {
        if (_disposed || _debounceTimer is null)
        {
            return;
        }

        var folders = _all.SelectMany(f => new[] { Path.GetDirectoryName(f.CertificatePath)!, Path.GetDirectoryName(f.KeyPath)! })
            .Distinct(StringComparer.Ordinal);
        foreach (var folder in folders.Where(f => !_watchers.ContainsKey(f) && Directory.Exists(f)))
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
            _watchers.Add(folder, watcher);
        }
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
        return _target.SetFromFile(file.Name, parsed);
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        var touched = _all.Any(f => Matches(f, e.FullPath) || (e is RenamedEventArgs renamed && Matches(f, renamed.OldFullPath)));
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
