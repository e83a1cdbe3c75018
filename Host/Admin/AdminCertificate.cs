using Slardar.Scriptable.Host.Certificates;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>
/// The admin listener's own certificate (<c>Admin:Certificate:Path</c>/<c>:KeyPath</c>, PEM files),
/// served for every server name and apart from the proxy's certificates, so a certificate posted
/// through the API can never take over the admin port. Read by a <see cref="CertificateFileWatcher"/>
/// of its own: a renewal of the files applies to the next handshake; a bad one is logged and the
/// previous certificate keeps serving. The gateway does not start when the files do not load at first.
/// </summary>
internal sealed class AdminCertificate : ICertificateFileTarget, IDisposable
{
    private readonly CertificateFileWatcher _watcher;
    private volatile CertificateSnapshot _current = CertificateSnapshot.Empty;

    public AdminCertificate(CertificateFileConfig file, TimeProvider time, ILoggerFactory loggers)
    {
        _watcher = new CertificateFileWatcher([file], this, time, loggers.CreateLogger<CertificateFileWatcher>());
        _watcher.Start();
        if (_watcher.Errors.GetValueOrDefault(file.Name) is { } error)
        {
            _watcher.Dispose();
            throw new InvalidOperationException($"Admin:Certificate ({file.CertificatePath}, {file.KeyPath}) does not load: {error}");
        }
    }

    /// <summary>What the admin listener's handshakes read.</summary>
    public CertificateSnapshot Current => _current;

    public string? SetFromFile(string name, CertificateParseResult? parsed)
    {
        if (parsed?.Certificate is { } certificate)
        {
            _current = new CertificateSnapshot([certificate]);
            return null;
        }

        return parsed?.Error;
    }

    public void Dispose() => _watcher.Dispose();
}
