using System.Collections.Immutable;
using System.Text.Json;
using Slardar.Scriptable.Host.Certificates;

namespace Slardar.Scriptable.Host.Routing;

/// <summary>
/// <c>"certificates": {"&lt;name&gt;": {"cert": "site.crt", "key": "site.key", "hosts": ["a.example.com"]}}</c>:
/// PEM files (paths relative to scripts.json) served by SNI and reloaded when they change, as
/// <c>Certificates:Files</c> in configuration. Only the shape is checked here; the files themselves
/// are read by <see cref="CertificateFileWatcher"/>, so a bad file never rejects the manifest.
/// </summary>
internal static partial class ManifestParser
{
    /// <summary>What file certificates declared here show as their source.</summary>
    public const string ManifestSource = "scripts.json";

    private static string? TryReadCertificates(JsonElement element, string baseFolder, out ImmutableArray<CertificateFileConfig> certificates)
    {
        certificates = ImmutableArray<CertificateFileConfig>.Empty;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return "must be an object keyed by certificate name";
        }

        var list = ImmutableArray.CreateBuilder<CertificateFileConfig>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in element.EnumerateObject())
        {
            if (!seen.Add(entry.Name))
            {
                return $"\"{entry.Name}\" is listed twice";
            }

            if (list.Count >= CertificateLimits.MaxCertificates)
            {
                return $"more than {CertificateLimits.MaxCertificates} certificates";
            }

            if (entry.Value.ValueKind != JsonValueKind.Object)
            {
                return $"{entry.Name}: must be an object {{\"cert\", \"key\", \"hosts\"}}";
            }

            string? cert = null, key = null;
            var hosts = new List<string>();
            foreach (var field in entry.Value.EnumerateObject())
            {
                switch (field.Name)
                {
                    case "cert" or "key":
                        if (field.Value.ValueKind != JsonValueKind.String)
                        {
                            return $"{entry.Name}.{field.Name}: must be a file path";
                        }

                        if (field.Name == "cert")
                        {
                            cert = field.Value.GetString();
                        }
                        else
                        {
                            key = field.Value.GetString();
                        }

                        break;
                    case "hosts":
                        if (field.Value.ValueKind != JsonValueKind.Array || field.Value.EnumerateArray().Any(h => h.ValueKind != JsonValueKind.String))
                        {
                            return $"{entry.Name}.hosts: must be an array of host patterns";
                        }

                        hosts.AddRange(field.Value.EnumerateArray().Select(h => h.GetString()!));
                        break;
                    default:
                        return $"{entry.Name}: unknown field \"{field.Name}\"";
                }
            }

            var config = CertificateFileConfig.Create(entry.Name, cert, key, hosts, baseFolder, ManifestSource, out var error);
            if (config is null)
            {
                return $"{entry.Name}: {error}";
            }

            list.Add(config);
        }

        certificates = list.ToImmutable();
        return null;
    }
}
