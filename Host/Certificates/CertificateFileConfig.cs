namespace Slardar.Scriptable.Host.Certificates;

/// <summary>
/// One certificate read from PEM files, watched and reloaded when either file changes: from
/// configuration (<c>Certificates:Files:&lt;name&gt;:Cert</c>, <c>:Key</c>, <c>:Hosts</c>) or from
/// scripts.json (<c>"certificates": {"&lt;name&gt;": {"cert", "key", "hosts"}}</c>). Both go through
/// <see cref="Create"/>: the same rule for names and paths.
/// </summary>
/// <param name="Source">Where it is declared: <see cref="ConfigurationSource"/> or the manifest's path.</param>
internal sealed record CertificateFileConfig(string Name, string CertificatePath, string KeyPath, IReadOnlyList<string> Hosts, string Source)
{
    public const string ConfigurationSource = "Certificates:Files";

    /// <summary>Relative paths are taken from <paramref name="baseFolder"/>; null with <paramref name="error"/> when a part is missing.</summary>
    public static CertificateFileConfig? Create(string name, string? certificatePath, string? keyPath, IReadOnlyList<string> hosts, string baseFolder, string source, out string? error)
    {
        error = !Checkups.UpstreamValueRules.IsValidName(name) ? "the name must match ^[-_a-zA-Z0-9.]+$"
            : string.IsNullOrWhiteSpace(certificatePath) || string.IsNullOrWhiteSpace(keyPath) ? "needs the paths of a PEM certificate and its PEM key"
            : null;
        return error is null
            ? new CertificateFileConfig(name, Path.GetFullPath(certificatePath!, baseFolder), Path.GetFullPath(keyPath!, baseFolder), hosts, source)
            : null;
    }

    public static CertificateFileConfig FromSection(IConfigurationSection section, string baseFolder)
    {
        var name = section.Key;

        // Hosts as an array (Hosts:0, Hosts:1) or one string of patterns separated by ',' or ';'.
        var hosts = section.GetSection("Hosts").GetChildren().Select(c => c.Value ?? string.Empty).ToList();
        if (hosts.Count == 0 && section["Hosts"] is { Length: > 0 } list)
        {
            hosts = [.. list.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return Create(name, section["Cert"], section["Key"], hosts, baseFolder, ConfigurationSource, out var error)
            ?? throw new InvalidOperationException($"Certificates:Files:{name} {error} (Cert and Key)");
    }
}
