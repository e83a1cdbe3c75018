using System.Security.Cryptography;

namespace Slardar.Scriptable.Host.Certificates;

/// <summary>
/// <c>Certificates:*</c>, copied out of configuration at start: the protection key of private keys
/// at rest, and the certificates read from PEM files.
/// </summary>
internal sealed record CertificateSettings(byte[]? ProtectionKey, string ProtectionKeyFile, IReadOnlyList<CertificateFileConfig> Files)
{
    public const string Section = "Certificates";

    /// <summary>Whether the protection key came from configuration (the same on every gateway) rather than a local key file.</summary>
    public bool KeyConfigured => ProtectionKey is not null;

    /// <param name="storePath">The store's full path: the key file defaults to its folder.</param>
    public static CertificateSettings FromConfiguration(IConfiguration configuration, string storePath, string baseFolder)
    {
        var section = configuration.GetSection(Section);
        byte[]? key = null;
        if (section["ProtectionKey"] is { Length: > 0 } text)
        {
            try
            {
                key = Convert.FromBase64String(text);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"Certificates:ProtectionKey is not base64 (expected {CertificateKeyProtector.KeyBytes} random bytes in base64, e.g. from `openssl rand -base64 32`)");
            }

            if (key.Length != CertificateKeyProtector.KeyBytes)
            {
                throw new InvalidOperationException($"Certificates:ProtectionKey decodes to {key.Length} bytes; it must be {CertificateKeyProtector.KeyBytes}");
            }
        }

        var keyFile = section["ProtectionKeyFile"] is { Length: > 0 } file
            ? Path.GetFullPath(file, baseFolder)
            : Path.Combine(Path.GetDirectoryName(storePath)!, "certificates.key");
        var files = new List<CertificateFileConfig>();
        foreach (var entry in section.GetSection("Files").GetChildren())
        {
            files.Add(CertificateFileConfig.FromSection(entry, baseFolder));
        }

        return new CertificateSettings(key, keyFile, files);
    }

    /// <summary>
    /// The protector: the configured key, else the local key file, created (32 random bytes, mode
    /// 0600) on first use. A key file protects a copied database, not a compromised host.
    /// </summary>
    public CertificateKeyProtector CreateProtector()
    {
        if (ProtectionKey is not null)
        {
            return new CertificateKeyProtector(ProtectionKey, "configuration");
        }

        if (!File.Exists(ProtectionKeyFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(ProtectionKeyFile)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var writer = new StreamWriter(ProtectionKeyFile, options);
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(CertificateKeyProtector.KeyBytes)));
            }
            catch (IOException) when (File.Exists(ProtectionKeyFile))
            {
                // Another process created it first: use theirs.
            }
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(ProtectionKeyFile).Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{ProtectionKeyFile} (Certificates:ProtectionKeyFile) is not base64");
        }

        return key.Length == CertificateKeyProtector.KeyBytes
            ? new CertificateKeyProtector(key, ProtectionKeyFile)
            : throw new InvalidOperationException($"{ProtectionKeyFile} (Certificates:ProtectionKeyFile) holds {key.Length} bytes; it must be {CertificateKeyProtector.KeyBytes}");
    }
}
