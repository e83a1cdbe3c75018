namespace Slardar.Scriptable.Host.Certificates;

/// <summary>
/// One certificate read from PEM files (<c>Certificates:Files:&lt;name&gt;:Cert</c>, <c>:Key</c>,
/// <c>:Hosts</c>), watched and reloaded when either file changes.
/// </summary>
internal sealed record CertificateFileConfig(string Name, string CertificatePath, string KeyPath, IReadOnlyList<string> Hosts)
{
    public static CertificateFileConfig FromSection(IConfigurationSection section, string baseFolder)
    {
        var name = section.Key;
        var cert = section["Cert"];
        var key = section["Key"];
        if (string.IsNullOrWhiteSpace(cert) || string.IsNullOrWhiteSpace(key))
        {
            throw new InvalidOperationException($"Certificates:Files:{name} needs Cert and Key (paths of PEM files)");
        }

        // Hosts as an array (Hosts:0, Hosts:1) or one string of patterns separated by ',' or ';'.
        var hosts = section.GetSection("Hosts").GetChildren().Select(c => c.Value ?? string.Empty).ToList();
        if (hosts.Count == 0 && section["Hosts"] is { Length: > 0 } list)
        {
            hosts = [.. list.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return new CertificateFileConfig(name, Path.GetFullPath(cert, baseFolder), Path.GetFullPath(key, baseFolder), hosts);
    }
}
