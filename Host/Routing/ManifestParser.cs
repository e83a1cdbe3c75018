using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Slardar.Scriptable.Scripting;

namespace Slardar.Scriptable.Host.Routing;

/// <summary>
/// Strict reader of scripts.json: <c>{"hosts": {"&lt;pattern&gt;": {"upstream": "&lt;name&gt;"}}}</c>.
/// Unknown fields are errors, so a typo never silently changes routing. Comments and trailing
/// commas are allowed because people edit this file by hand.
/// </summary>
internal static partial class ManifestParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    /// <param name="baseFolder">Where relative script paths point from (scripts.json's folder).</param>
    public static ManifestParseResult Parse(ReadOnlyMemory<byte> utf8Json, string? baseFolder = null)
    {
        // Some editors save UTF-8 with a byte order mark; JsonDocument does not skip it.
        if (utf8Json.Span.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return ManifestParseResult.Fail($"invalid JSON: {ex.Message}");
        }

        using (document)
        {
            return Parse(document.RootElement, baseFolder ?? Directory.GetCurrentDirectory());
        }
    }

    private static ManifestParseResult Parse(JsonElement root, string baseFolder)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ManifestParseResult.Fail("the manifest must be a JSON object");
        }

        var hosts = ImmutableArray.CreateBuilder<HostBinding>();
        var caches = ImmutableDictionary<string, Services.Caching.CacheOptions>.Empty;
        var limits = ImmutableDictionary<string, Services.Limits.LimitConfig>.Empty;
        var streams = ImmutableArray<Streams.StreamListenerConfig>.Empty;
        var certificates = ImmutableArray<Certificates.CertificateFileConfig>.Empty;
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is "caches" or "limits")
            {
                var serviceError = property.Name == "caches" ? TryReadCaches(property.Value, out caches) : TryReadLimits(property.Value, out limits);
                if (serviceError is not null)
                {
                    return ManifestParseResult.Fail($"{property.Name}: {serviceError}");
                }

                continue;
            }

            if (property.Name == "streams")
            {
                if (TryReadStreams(property.Value, baseFolder, out streams) is { } streamError)
                {
                    return ManifestParseResult.Fail($"streams: {streamError}");
                }

                continue;
            }

            if (property.Name == "certificates")
            {
                if (TryReadCertificates(property.Value, baseFolder, out certificates) is { } certificateError)
                {
                    return ManifestParseResult.Fail($"certificates: {certificateError}");
                }

                continue;
            }

            if (property.Name != "hosts")
            {
                return ManifestParseResult.Fail($"unknown field \"{property.Name}\"");
            }

            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                return ManifestParseResult.Fail("\"hosts\" must be an object keyed by host pattern");
            }

            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var host in property.Value.EnumerateObject())
            {
                var pattern = host.Name.Trim().ToLowerInvariant();
                if (!IsValidPattern(pattern))
                {
                    return ManifestParseResult.Fail($"hosts: \"{host.Name}\" is not a host name, a \"*.suffix\" wildcard or \"_\"");
                }

                if (!seen.Add(pattern))
                {
                    return ManifestParseResult.Fail($"hosts: \"{host.Name}\" is listed twice");
                }

                var binding = ParseBinding(pattern, host.Value, baseFolder, out var error);
                if (binding is null)
                {
                    return ManifestParseResult.Fail($"hosts.{host.Name}: {error}");
                }

                hosts.Add(binding);
            }
        }

        return ManifestParseResult.Ok(new ManifestConfig(hosts.ToImmutable()) { Caches = caches, Limits = limits, Streams = streams, Certificates = certificates });
    }

    private static HostBinding? ParseBinding(string pattern, JsonElement element, string baseFolder, out string? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "must be an object";
            return null;
        }

        string? upstream = null;
        var trusted = false;
        var httpsRedirect = false;
        TimeSpan? budget = null;
        long? allocationBudget = null;
        TimeSpan? contentTimeout = null;
        Services.Limits.LimitConfig? limit = null;
        var files = ImmutableDictionary.CreateBuilder<string, string>();
        foreach (var field in element.EnumerateObject())
        {
            switch (field.Name)
            {
                case "limit":
                    limit = Services.Limits.LimitConfigParser.Parse("host:" + pattern, field.Value, forHost: true, out var limitError);
                    if (limit is null)
                    {
                        error = $"limit: {limitError}";
                        return null;
                    }

                    break;
                case "trusted" or "budget_ms" or "budget_mb":
                    if (!TryReadScriptOption(field, ref trusted, ref budget, ref allocationBudget, out error))
                    {
                        return null;
                    }

                    break;
                case "https_redirect":
                    if (field.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        error = "\"https_redirect\" must be true or false";
                        return null;
                    }

                    httpsRedirect = field.Value.GetBoolean();
                    break;
                case "content_timeout":
                    if (field.Value.ValueKind != JsonValueKind.Number || !field.Value.TryGetDouble(out var seconds) || seconds <= 0 || seconds > 86_400)
                    {
                        error = "\"content_timeout\" must be a number of seconds in (0, 86400]";
                        return null;
                    }

                    contentTimeout = TimeSpan.FromSeconds(seconds);
                    break;
                case "scripts":
                    if (!TryReadScriptFiles(field.Value, baseFolder, files, out error))
                    {
                        return null;
                    }

                    break;
                case "upstream":
                    if (field.Value.ValueKind != JsonValueKind.String || !IsValidUpstreamName(field.Value.GetString()))
                    {
                        error = "\"upstream\" must be an upstream name (letters, digits, '-', '_', '.')";
                        return null;
                    }

                    upstream = field.Value.GetString();
                    break;
                default:
                    error = $"unknown field \"{field.Name}\"";
                    return null;
            }
        }

        return new HostBinding(pattern, upstream) { Trusted = trusted, HttpsRedirect = httpsRedirect, Budget = budget, AllocationBudget = allocationBudget, ContentTimeout = contentTimeout, ScriptFiles = files.ToImmutable(), Limit = limit };
    }

    /// <summary>
    /// The script options a host and a stream listener share: <c>trusted</c> (guard rails off),
    /// <c>budget_ms</c> and <c>budget_mb</c> (per invocation). One reader, so both refuse a bad
    /// value in the same words.
    /// </summary>
    private static bool TryReadScriptOption(JsonProperty field, ref bool trusted, ref TimeSpan? budget, ref long? allocationBudget, out string? error)
    {
        error = null;
        var value = field.Value;
        switch (field.Name)
        {
            case "trusted":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    error = "\"trusted\" must be true or false";
                    return false;
                }

                trusted = value.GetBoolean();
                return true;
            case "budget_ms":
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var milliseconds) || milliseconds <= 0 || milliseconds > 60_000)
                {
                    error = "\"budget_ms\" must be a number of milliseconds in (0, 60000]";
                    return false;
                }

                budget = TimeSpan.FromMilliseconds(milliseconds);
                return true;
            default:
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var megabytes) || megabytes <= 0 || megabytes > 65_536)
                {
                    error = "\"budget_mb\" must be a number of MiB in (0, 65536]";
                    return false;
                }

                allocationBudget = Math.Max(1, (long)(megabytes * 1024 * 1024));
                return true;
        }
    }

    /// <summary><c>"scripts": {"rewrite": "path.csx", ...}</c>, paths relative to the manifest's folder.</summary>
    private static bool TryReadScriptFiles(JsonElement element, string baseFolder, ImmutableDictionary<string, string>.Builder files, out string? error)
    {
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = "\"scripts\" must be an object of phase → file, e.g. {\"rewrite\": \"Scripts/x/rewrite.csx\"}";
            return false;
        }

        foreach (var phase in element.EnumerateObject())
        {
            if (!ScriptPhases.TryParse(phase.Name, out var model) || model.Name != phase.Name || model.Stage == ScriptStage.Connection)
            {
                error = $"scripts: unknown phase \"{phase.Name}\" (expected one of {ScriptPhases.HostPhaseNames})";
                return false;
            }

            if (phase.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(phase.Value.GetString()))
            {
                error = $"scripts.{phase.Name} must be a file path";
                return false;
            }

            files[phase.Name] = Path.GetFullPath(phase.Value.GetString()!, baseFolder);
        }

        return true;
    }

    /// <summary>An exact host name, a <c>*.suffix</c> wildcard or <c>_</c> (lower-case).</summary>
    public static bool IsValidPattern(string pattern) =>
        pattern == HostBinding.DefaultPattern
        || (pattern.StartsWith("*.", StringComparison.Ordinal) && HostNamePattern().IsMatch(pattern.AsSpan(2)))
        || HostNamePattern().IsMatch(pattern);

    private static bool IsValidUpstreamName(string? name) => !string.IsNullOrEmpty(name) && UpstreamNamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$")]
    private static partial Regex HostNamePattern();

    [GeneratedRegex("^[-_a-zA-Z0-9.]+$")]
    private static partial Regex UpstreamNamePattern();
}
