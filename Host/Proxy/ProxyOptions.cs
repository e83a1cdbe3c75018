using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Configuration;
using Slardar.Scriptable.Host.Upstreams;

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

    /// <summary>Kestrel runs request continuations on the socket's I/O thread instead of the thread pool (fewer thread hops; a blocking script would stall that thread's other connections).</summary>
    public bool InlineScheduling { get; init; }

    /// <summary>Keep-alive connections the forwarder opens at most to one peer; 0 = no limit (requests then wait for a free connection).</summary>
    public int MaxConnectionsPerPeer { get; init; }

    /// <summary>
    /// The forwarding path for plain HTTP/1.1 requests to plain-HTTP upstreams; upgrades (WebSockets),
    /// extended CONNECT and TLS upstreams always go through YARP.
    /// </summary>
    public ForwarderKind Forwarder { get; init; } = ForwarderKind.Fast;

    /// <summary>The retry rules of an upstream that sets none of its own.</summary>
    public RetryPolicy RetryDefaults => new(Tries, NextUpstreamTimeout, NextUpstream, ConnectTimeout);

    private const string Prefix = "Proxy:";

    public static ProxyOptions FromConfiguration(IConfiguration section)
    {
        var defaults = new ProxyOptions();
        var conditions = defaults.NextUpstream;
        if (section["NextUpstream"] is { } text && !NextUpstreamParser.TryParse(text, out conditions, out var error))
        {
            throw new InvalidOperationException($"Proxy:NextUpstream: {error}");
        }

        var forwarder = section["Forwarder"] switch
        {
            null or "" => defaults.Forwarder,
            var name when name.Equals("fast", StringComparison.OrdinalIgnoreCase) => ForwarderKind.Fast,
            var name when name.Equals("yarp", StringComparison.OrdinalIgnoreCase) => ForwarderKind.Yarp,
            var name => throw new InvalidOperationException($"Proxy:Forwarder: '{name}' is not a forwarder (fast, yarp)."),
        };

        return new ProxyOptions
        {
            Forwarder = forwarder,
            Tries = (int)ConfigurationValues.ReadInteger(section, Prefix, "Tries", defaults.Tries, min: 1, max: int.MaxValue),
            NextUpstream = conditions,
            NextUpstreamTimeout = ConfigurationValues.ReadSeconds(section, Prefix, "NextUpstreamTimeout", defaults.NextUpstreamTimeout, 0, minInclusive: true),
            ConnectTimeout = ConfigurationValues.ReadSeconds(section, Prefix, "ConnectTimeout", defaults.ConnectTimeout, 0, minInclusive: false),
            SendTimeout = ConfigurationValues.ReadSeconds(section, Prefix, "SendTimeout", defaults.SendTimeout, 0, minInclusive: false),
            ReadTimeout = ConfigurationValues.ReadSeconds(section, Prefix, "ReadTimeout", defaults.ReadTimeout, 0, minInclusive: false),
            BodyMemoryBufferBytes = ConfigurationValues.ReadInteger(section, Prefix, "Body:MemoryBufferBytes", defaults.BodyMemoryBufferBytes, min: 0),
            BodyReplayLimitBytes = ConfigurationValues.ReadInteger(section, Prefix, "Body:ReplayLimitBytes", defaults.BodyReplayLimitBytes, min: 0),
            BodyTempFolder = section["Body:TempFolder"] is { Length: > 0 } folder ? folder : defaults.BodyTempFolder,
            InlineScheduling = ConfigurationValues.ReadBoolean(section, Prefix, "InlineScheduling", defaults.InlineScheduling),
            MaxConnectionsPerPeer = (int)ConfigurationValues.ReadInteger(section, Prefix, "MaxConnectionsPerPeer", defaults.MaxConnectionsPerPeer, min: 0, max: int.MaxValue),
            MaxRequestBodyBytes = ConfigurationValues.ReadInteger(section, Prefix, "MaxRequestBodyBytes", defaults.MaxRequestBodyBytes ?? 0, min: 0) is var max && max > 0 ? max : null,
        };
    }
}
