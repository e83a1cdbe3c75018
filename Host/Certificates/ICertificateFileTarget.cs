namespace Slardar.Scriptable.Host.Certificates;

/// <summary>Where <see cref="CertificateFileWatcher"/> puts what it read: the proxy's <see cref="CertificateCatalog"/> or the admin listener's own certificate.</summary>
internal interface ICertificateFileTarget
{
    /// <summary>A certificate read from files, or null when its declaration is gone.</summary>
    /// <returns>Null when it now serves, else why it was refused (what served before keeps serving).</returns>
    string? SetFromFile(string name, CertificateParseResult? parsed);
}
