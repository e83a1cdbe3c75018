using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using static Slardar.Scriptable.Host.Checkups.UpstreamConfigErrors;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>TLS to the peers: <c>scheme</c>, <c>sni</c>, <c>ca</c>, <c>verify</c>.</summary>
internal sealed partial class UpstreamConfigParser
{
    private const int MaxCaPemChars = 256 * 1024;

    private static bool IsTlsField(string field) =>
        field is UpstreamFields.Scheme or UpstreamFields.Sni or UpstreamFields.Ca or UpstreamFields.Verify;

    private (string? Scheme, string? Sni, string? Ca, bool? Verify) ReadTlsField((string? Scheme, string? Sni, string? Ca, bool? Verify) tls, string path, JsonElement value) => path switch
    {
        UpstreamFields.Scheme => tls with { Scheme = ReadScheme(value, path) },
        UpstreamFields.Sni => tls with
        {
            Sni = ReadText(value, path) is { } sni && UpstreamValueRules.IsValidHost(sni) && !sni.Contains(':', StringComparison.Ordinal)
                ? sni.TrimEnd('.')
                : throw new UpstreamConfigException(Must(path, "a host name")),
        },
        UpstreamFields.Ca => tls with { Ca = ReadText(value, path) },
        _ => tls with { Verify = ReadBoolean(value, path) },
    };

    private static string ReadScheme(JsonElement value, string path)
    {
        var scheme = ReadText(value, path);
        return scheme is "http" or "https" ? scheme : throw new UpstreamConfigException(Must(path, "\"http\" or \"https\""));
    }

    private static UpstreamTlsConfig? BuildTls((string? Scheme, string? Sni, string? Ca, bool? Verify) tls)
    {
        if (tls.Scheme != "https")
        {
            return tls.Sni is null && tls.Ca is null && tls.Verify is null
                ? null
                : throw new UpstreamConfigException("sni, ca and verify apply to \"scheme\": \"https\" only");
        }

        X509Certificate2Collection? roots = null;
        if (tls.Ca is { } pem)
        {
            if (pem.Length > MaxCaPemChars)
            {
                throw new UpstreamConfigException($"{UpstreamFields.Ca}: larger than {MaxCaPemChars / 1024} KiB");
            }

            roots = new X509Certificate2Collection();
            try
            {
                roots.ImportFromPem(pem);
            }
            catch (CryptographicException ex)
            {
                throw new UpstreamConfigException($"{UpstreamFields.Ca}: not a PEM certificate bundle ({ex.Message})");
            }

            if (roots.Count == 0)
            {
                throw new UpstreamConfigException($"{UpstreamFields.Ca}: no PEM certificate found (expected -----BEGIN CERTIFICATE-----)");
            }
        }

        return new UpstreamTlsConfig(tls.Sni, tls.Ca, tls.Verify ?? true, roots);
    }
}
