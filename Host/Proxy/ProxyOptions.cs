using Slardar.Scriptable.Host.Checkups;
using System.Globalization;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// Gateway-wide forwarding defaults, copied out of configuration once at start (section <c>Proxy</c>).
/// Per-upstream fields (<c>try</c>, <c>try_timeout</c>, <c>next_upstream</c>, <c>timeout</c>) override them.
/// </summary>
internal sealed record ProxyOptions
{
    public int Tries { get; init; } = 2;

    public NextUpstreamConditions NextUpstream { get; init; } = NextUpstreamConditions.Error | NextUpstreamConditions.Timeout | NextUpstreamConditions.Http502;

    /// <summary>Time budget for moving on to another peer, counted from the start of the first try; zero = unlimited.</summary>
    public TimeSpan NextUpstreamTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Longest stall of one write of the request body to a peer.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest wait for the peer's response headers or between two reads of its response body.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Request body bytes kept in memory for replay; past it the body spills to a temp file.</summary>
    public long BodyMemoryBufferBytes { get; init; } = 1024 * 1024;

    /// <summary>Request body bytes kept at most for replay (memory + temp file); a longer body is streamed but never resent.</summary>
    public long BodyReplayLimitBytes { get; init; } = 128L * 1024 * 1024;

    public string BodyTempFolder { get; init; } = Path.GetTempPath();

    /// <summary>Largest accepted request body (Kestrel's limit); null = unlimited. Slardar used 1024m.</summary>
    public long? MaxRequestBodyBytes { get; init; } = 1024L * 1024 * 1024;

    public static ProxyOptions FromConfiguration(IConfiguration section)
    {
        var defaults = new ProxyOptions();
        var conditions = defaults.NextUpstream;
        if (section["NextUpstream"] is { } text && !NextUpstreamParser.TryParse(text, out conditions, out var error))
        {
            throw new InvalidOperationException($"Proxy:NextUpstream: {error}");
        }

        return new ProxyOptions
        {
            Tries = ReadInt(section, "Tries", defaults.Tries, min: 1),
            NextUpstream = conditions,
            NextUpstreamTimeout = ReadSeconds(section, "NextUpstreamTimeout", defaults.NextUpstreamTimeout, allowZero: true),
            ConnectTimeout = ReadSeconds(section, "ConnectTimeout", defaults.ConnectTimeout),
            SendTimeout = ReadSeconds(section, "SendTimeout", defaults.SendTimeout),
            ReadTimeout = ReadSeconds(section, "ReadTimeout", defaults.ReadTimeout),
            BodyMemoryBufferBytes = ReadLong(section, "Body:MemoryBufferBytes", defaults.BodyMemoryBufferBytes, min: 0),
            BodyReplayLimitBytes = ReadLong(section, "Body:ReplayLimitBytes", defaults.BodyReplayLimitBytes, min: 0),
            BodyTempFolder = section["Body:TempFolder"] is { Length: > 0 } folder ? folder : defaults.BodyTempFolder,
            MaxRequestBodyBytes = section["MaxRequestBodyBytes"] is { Length: > 0 } max
                ? ReadLong(section, "MaxRequestBodyBytes", 0, min: 0) is var v && v == 0 ? null : v
                : defaults.MaxRequestBodyBytes,
        };
    }

    private static int ReadInt(IConfiguration section, string key, int fallback, int min)
    {
        var text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new InvalidOperationException($"Proxy:{key} must be an integer ≥ {min}, got \"{text}\"");
    }

    private static long ReadLong(IConfiguration section, string key, long fallback, long min)
    {
        var text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new InvalidOperationException($"Proxy:{key} must be an integer ≥ {min}, got \"{text}\"");
    }

    private static TimeSpan ReadSeconds(IConfiguration section, string key, TimeSpan fallback, bool allowZero = false)
    {
        var text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && (seconds > 0 || (allowZero && seconds == 0)) && seconds <= int.MaxValue / 1000.0
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidOperationException($"Proxy:{key} must be a number of seconds {(allowZero ? "≥" : ">")} 0, got \"{text}\"");
    }
}
