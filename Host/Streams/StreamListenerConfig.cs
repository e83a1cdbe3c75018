using System.Net;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// One entry of scripts.json's <c>"streams"</c>: a TCP listener and where its sessions go. Immutable;
/// produced only by the manifest parser.
/// </summary>
/// <param name="Address">The listen address as the key of the entry, normalized (<c>127.0.0.1:6380</c>).</param>
/// <param name="EndPoint">Where the listener binds.</param>
/// <param name="Upstream">The checkups upstream of its sessions; null when a preread script chooses it.</param>
internal sealed record StreamListenerConfig(string Address, IPEndPoint EndPoint, string? Upstream)
{
    /// <summary>nginx stream's <c>proxy_timeout</c> default: 10 minutes without a byte either way.</summary>
    public static readonly TimeSpan DefaultProxyTimeout = TimeSpan.FromMinutes(10);

    /// <summary>nginx's <c>preread_timeout</c> default.</summary>
    public static readonly TimeSpan DefaultPrereadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>nginx's <c>preread_buffer_size</c> default; also the most a listener may preread.</summary>
    public const int MaxPrereadBytes = 16 * 1024;

    /// <summary>Ends a session after this long without a byte in either direction (<c>"proxy_timeout"</c>, seconds).</summary>
    public TimeSpan ProxyTimeout { get; init; } = DefaultProxyTimeout;

    /// <summary>Ends a session this long after it was accepted, whatever it does (<c>"max_session_time"</c>, seconds); null = never.</summary>
    public TimeSpan? MaxSessionTime { get; init; }

    /// <summary>
    /// With a preread script: the most first bytes waited for before it runs (<c>"preread_bytes"</c>).
    /// 0 runs it at once with what has arrived (protocols whose server speaks first, such as MySQL).
    /// </summary>
    public int PrereadBytes { get; init; } = MaxPrereadBytes;

    /// <summary>With a preread script: the longest wait for first bytes (<c>"preread_timeout"</c>, seconds); the script then runs with what arrived.</summary>
    public TimeSpan PrereadTimeout { get; init; } = DefaultPrereadTimeout;

    /// <summary>Most sessions at once on this listener (<c>"max_sessions"</c>); more are closed at accept (status 503).</summary>
    public int MaxSessions { get; init; } = 10_000;

    /// <summary>The preread script file (<c>"scripts": {"preread": "..."}</c>), full path; null = none from scripts.json.</summary>
    public string? PrereadScriptFile { get; init; }

    /// <summary>Lifts its preread script's guard rails (<c>"trusted"</c>), as a host's <c>trusted</c> does, and lets it connect to a peer no upstream lists.</summary>
    public bool Trusted { get; init; }

    /// <summary>Time budget of one preread invocation (<c>"budget_ms"</c>); null = the gateway default.</summary>
    public TimeSpan? Budget { get; init; }

    /// <summary>Allocation budget of one preread invocation in bytes (<c>"budget_mb"</c>); null = the gateway default.</summary>
    public long? AllocationBudget { get; init; }

    /// <summary>The name its scripts are kept under (<c>POST /script/stream:&lt;port&gt;/preread</c>).</summary>
    public string ScriptPattern => StreamScriptNames.PatternFor(EndPoint.Port);
}
