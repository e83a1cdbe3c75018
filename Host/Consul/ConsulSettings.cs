using Slardar.Scriptable.Host.Configuration;

namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// The <c>Consul:*</c> settings, copied out of configuration once at start. Null from
/// <see cref="FromConfiguration"/> when <c>Consul:Address</c> is empty: the gateway then runs on its
/// store alone, as without Consul.
/// </summary>
internal sealed record ConsulSettings
{
    public const string DefaultPrefix = "config/slardar/";

    public required ConsulOptions Client { get; init; }

    /// <summary>The KV prefix, always ending in <c>/</c> (or empty: the whole KV store).</summary>
    public string Prefix { get; init; } = DefaultPrefix;

    /// <summary>How long a <c>Config[key]</c> value found in Consul is served before it is fetched again.</summary>
    public TimeSpan ConfigPositiveTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long "no such key" is remembered before asking again.</summary>
    public TimeSpan ConfigNegativeTtl { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an admin write waits for this gateway's own watch to apply it.</summary>
    public TimeSpan WriteApplyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Timing of the KV and service watches.</summary>
    public ConsulWatchOptions Watch { get; init; } = new();

    public static ConsulSettings? FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Consul");
        if (section["Address"] is not { Length: > 0 } addressText)
        {
            return null;
        }

        var addresses = new List<Uri>();
        foreach (var text in addressText.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.AbsolutePath != "/")
            {
                throw new InvalidOperationException($"Consul:Address: \"{text}\" is not an http(s)://host:port address");
            }

            addresses.Add(uri);
        }

        const string prefix = "Consul:";
        var requestTimeout = ConfigurationValues.ReadSeconds(section, prefix, "RequestTimeoutSeconds", TimeSpan.FromSeconds(5), 0, minInclusive: false, max: 600);
        var wait = ConfigurationValues.ReadSeconds(section, prefix, "WaitSeconds", TimeSpan.FromMinutes(5), 0, minInclusive: false, max: 600);
        var retryMax = ConfigurationValues.ReadSeconds(section, prefix, "RetryMaxSeconds", TimeSpan.FromSeconds(30), 0, minInclusive: false, max: 3600);
        var retryInitial = retryMax < TimeSpan.FromSeconds(1) ? retryMax : TimeSpan.FromSeconds(1);
        return new ConsulSettings
        {
            Client = new ConsulOptions
            {
                Addresses = addresses,
                Token = section["Token"] is { Length: > 0 } token ? token : null,
                RequestTimeout = requestTimeout,
                BlockingWait = wait,
            },
            Prefix = NormalizePrefix(section["Prefix"]),
            ConfigPositiveTtl = ConfigurationValues.ReadSeconds(section, prefix, "ConfigPositiveTtlSeconds", TimeSpan.FromSeconds(10), 0, minInclusive: true, max: 86400),
            ConfigNegativeTtl = ConfigurationValues.ReadSeconds(section, prefix, "ConfigNegativeTtlSeconds", TimeSpan.FromSeconds(5), 0, minInclusive: true, max: 86400),
            WriteApplyTimeout = ConfigurationValues.ReadSeconds(section, prefix, "WriteWaitSeconds", TimeSpan.FromSeconds(5), 0, minInclusive: true, max: 600),
            Watch = new ConsulWatchOptions
            {
                Wait = wait,

                // Short: a change right after the previous answer must still be seen within a second.
                MinQueryGap = TimeSpan.FromMilliseconds(250),
                BackoffInitial = retryInitial,
                BackoffMax = retryMax,
            },
        };
    }

    private static string NormalizePrefix(string? text)
    {
        if (text is null)
        {
            return DefaultPrefix;
        }

        var trimmed = text.Trim().Trim('/');
        return trimmed.Length == 0 ? "" : trimmed + "/";
    }
}
