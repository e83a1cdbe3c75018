using System.Text.Json;

namespace Slardar.Scriptable.Host.Certificates;

/// <summary>The body of <c>POST /cert/&lt;name&gt;</c> (and of a Consul value, where the key is sealed): read strictly, unknown fields refused.</summary>
internal sealed record CertificateRequest(string? Certificate, string? Key, string? SealedKey, IReadOnlyList<string>? Hosts)
{
    public const string CertField = "cert";
    public const string KeyField = "key";
    public const string SealedKeyField = "key_sealed";
    public const string HostsField = "hosts";

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8 };

    /// <returns>The request, or null with <paramref name="error"/> set.</returns>
    public static CertificateRequest? Parse(ReadOnlySpan<byte> body, bool sealedKey, out string? error)
    {
        error = null;
        string? cert = null, key = null, sealedValue = null;
        List<string>? hosts = null;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray(), Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "body: not a JSON object ({\"cert\": \"<PEM>\", \"key\": \"<PEM>\", \"hosts\": [...]})";
                return null;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    error = $"body: {property.Name} given twice";
                    return null;
                }

                switch (property.Name)
                {
                    case CertField:
                        cert = Text(property, out error);
                        break;
                    case KeyField when !sealedKey:
                        key = Text(property, out error);
                        break;
                    case SealedKeyField when sealedKey:
                        sealedValue = Text(property, out error);
                        break;
                    case HostsField:
                        hosts = ReadHosts(property.Value, out error);
                        break;
                    default:
                        error = $"body: unknown field {property.Name} (expected cert, {(sealedKey ? SealedKeyField : KeyField)}, hosts)";
                        return null;
                }

                if (error is not null)
                {
                    return null;
                }
            }
        }
        catch (JsonException ex)
        {
            error = "body: malformed JSON (" + ex.Message + ")";
            return null;
        }

        return new CertificateRequest(cert, key, sealedValue, hosts);
    }

    private static string? Text(JsonProperty property, out string? error)
    {
        error = property.Value.ValueKind == JsonValueKind.String ? null : $"{property.Name}: must be a string (PEM text)";
        return error is null ? property.Value.GetString() : null;
    }

    private static List<string>? ReadHosts(JsonElement value, out string? error)
    {
        error = null;
        if (value.ValueKind != JsonValueKind.Array)
        {
            error = "hosts: must be an array of host patterns";
            return null;
        }

        if (value.GetArrayLength() > CertificateLimits.MaxHosts)
        {
            error = $"hosts: more than {CertificateLimits.MaxHosts} patterns";
            return null;
        }

        var hosts = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                error = "hosts: every entry must be a string";
                return null;
            }

            hosts.Add(item.GetString()!);
        }

        return hosts;
    }
}
