using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Services.Redis;

/// <summary>
/// One named connection from configuration: <c>Redis:&lt;name&gt;:Endpoints</c> ("host:port,host:port"
/// or an array), <c>Password</c>, <c>Database</c>, <c>ConnectTimeoutMs</c>, <c>TimeoutMs</c> (each
/// call), <c>MaxValueBytes</c>, <c>MaxItems</c>. <c>Redis:Default</c> is the one a script gets when it
/// names none, and the one cluster rate limits and cache purges use.
/// </summary>
internal sealed record RedisConnectionConfig(string Name, ImmutableArray<string> Endpoints)
{
    public const string DefaultName = "Default";

    public string? Password { get; init; }

    public int Database { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait of one call (also bounded by the caller's budget).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest key or value a script may write, in bytes (UTF-8 of the string is counted by its length × 3 at most).</summary>
    public int MaxValueBytes { get; init; } = 1024 * 1024;

    /// <summary>Largest hash or set a script may read whole.</summary>
    public int MaxItems { get; init; } = 10_000;

    /// <summary>Reads every <c>Redis:&lt;name&gt;</c> section; errors name the key at fault.</summary>
    public static ImmutableArray<RedisConnectionConfig> FromConfiguration(IConfiguration configuration, List<string> errors)
    {
        var connections = ImmutableArray.CreateBuilder<RedisConnectionConfig>();
        foreach (var section in configuration.GetSection("Redis").GetChildren())
        {
            var endpoints = section["Endpoints"] is { } list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : section.GetSection("Endpoints").GetChildren().Select(c => c.Value ?? string.Empty).Where(v => v.Length > 0).ToArray();
            if (endpoints.Length == 0)
            {
                errors.Add($"Redis:{section.Key}:Endpoints is required (\"host:port\")");
                continue;
            }

            connections.Add(new RedisConnectionConfig(section.Key, [.. endpoints])
            {
                Password = section["Password"],
                Database = Int(section, "Database", 0, 0, 15, errors),
                ConnectTimeout = TimeSpan.FromMilliseconds(Int(section, "ConnectTimeoutMs", 2000, 1, 60_000, errors)),
                Timeout = TimeSpan.FromMilliseconds(Int(section, "TimeoutMs", 500, 1, 60_000, errors)),
                MaxValueBytes = Int(section, "MaxValueBytes", 1024 * 1024, 1, 512 * 1024 * 1024, errors),
                MaxItems = Int(section, "MaxItems", 10_000, 1, 10_000_000, errors),
            });
        }

        return connections.ToImmutable();
    }

    private static int Int(IConfigurationSection section, string key, int fallback, int min, int max, List<string> errors)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add($"Redis:{section.Key}:{key} must be an integer in [{min}, {max}]");
        return fallback;
    }
}
