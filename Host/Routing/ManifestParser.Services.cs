using System.Collections.Immutable;
using System.Text.Json;
using Slardar.Scriptable.Host.Services.Caching;
using Slardar.Scriptable.Host.Services.Limits;

namespace Slardar.Scriptable.Host.Routing;

/// <summary>scripts.json's script services: <c>"caches"</c> and <c>"limits"</c> (issue 14).</summary>
internal static partial class ManifestParser
{
    private const int MaxDeclared = 256;

    /// <returns>An error, or null with <paramref name="caches"/> read.</returns>
    private static string? TryReadCaches(JsonElement element, out ImmutableDictionary<string, CacheOptions> caches)
    {
        caches = ImmutableDictionary<string, CacheOptions>.Empty;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return "must be an object of name → {\"size\", \"ttl\", \"negative_ttl\", \"stale_ttl\", \"load_timeout_ms\"}";
        }

        var builder = ImmutableDictionary.CreateBuilder<string, CacheOptions>(StringComparer.Ordinal);
        foreach (var cache in element.EnumerateObject())
        {
            if (!IsValidServiceName(cache.Name) || builder.Count >= MaxDeclared)
            {
                return $"\"{cache.Name}\" is not a name (letters, digits, '-', '_', '.'; at most {MaxDeclared} caches)";
            }

            if (cache.Value.ValueKind != JsonValueKind.Object)
            {
                return $"{cache.Name}: must be an object";
            }

            var defaults = CacheOptions.Default;
            var (size, ttl, negative, stale, load) = (defaults.Size, defaults.Ttl, defaults.NegativeTtl, defaults.StaleTtl, defaults.LoadTimeout);
            foreach (var field in cache.Value.EnumerateObject())
            {
                if (field.Value.ValueKind != JsonValueKind.Number || !field.Value.TryGetDouble(out var number))
                {
                    return $"{cache.Name}.{field.Name}: must be a number";
                }

                switch (field.Name)
                {
                    case "size" when number is >= 1 and <= 10_000_000 && number == Math.Floor(number):
                        size = (int)number;
                        break;
                    case "ttl" when number is > 0 and <= 31_536_000:
                        ttl = TimeSpan.FromSeconds(number);
                        break;
                    case "negative_ttl" when number is >= 0 and <= 31_536_000:
                        negative = TimeSpan.FromSeconds(number);
                        break;
                    case "stale_ttl" when number is >= 0 and <= 31_536_000:
                        stale = TimeSpan.FromSeconds(number);
                        break;
                    case "load_timeout_ms" when number is >= 1 and <= 60_000:
                        load = TimeSpan.FromMilliseconds(number);
                        break;
                    case "size" or "ttl" or "negative_ttl" or "stale_ttl" or "load_timeout_ms":
                        return $"{cache.Name}.{field.Name}: out of range (size 1..10000000; ttl (0, 1 year] s; negative_ttl and stale_ttl [0, 1 year] s; load_timeout_ms 1..60000)";
                    default:
                        return $"{cache.Name}: unknown field \"{field.Name}\"";
                }
            }

            builder[cache.Name] = new CacheOptions(size, ttl, negative, stale, load);
        }

        caches = builder.ToImmutable();
        return null;
    }

    /// <returns>An error, or null with <paramref name="limits"/> read.</returns>
    private static string? TryReadLimits(JsonElement element, out ImmutableDictionary<string, LimitConfig> limits)
    {
        limits = ImmutableDictionary<string, LimitConfig>.Empty;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return "must be an object of name → {\"rate\": .., \"burst\": ..}";
        }

        var builder = ImmutableDictionary.CreateBuilder<string, LimitConfig>(StringComparer.Ordinal);
        foreach (var limit in element.EnumerateObject())
        {
            if (!IsValidServiceName(limit.Name) || builder.Count >= MaxDeclared)
            {
                return $"\"{limit.Name}\" is not a name (letters, digits, '-', '_', '.'; at most {MaxDeclared} limits)";
            }

            var parsed = LimitConfigParser.Parse(limit.Name, limit.Value, forHost: false, out var error);
            if (parsed is null)
            {
                return $"{limit.Name}: {error}";
            }

            builder[limit.Name] = parsed;
        }

        limits = builder.ToImmutable();
        return null;
    }

    private static bool IsValidServiceName(string name) => name.Length is > 0 and <= 128 && UpstreamNamePattern().IsMatch(name);
}
