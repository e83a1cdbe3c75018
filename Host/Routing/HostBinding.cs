using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Routing;

/// <summary>One entry of scripts.json: a host pattern (exact, <c>*.suffix</c> or <c>_</c>) and its options.</summary>
/// <param name="Pattern">Lower-cased host, <c>*.example.com</c>, or <see cref="DefaultPattern"/>.</param>
/// <param name="Upstream">The upstream that serves the host; null means the upstream named after the request's host.</param>
internal sealed record HostBinding(string Pattern, string? Upstream)
{
    public const string DefaultPattern = "_";

    public bool IsDefault => Pattern == DefaultPattern;

    public bool IsWildcard => Pattern.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>Lifts the scripts' guard rails (file, network, reflection, ...) for this host.</summary>
    public bool Trusted { get; init; }

    /// <summary>Per-invocation time budget of this host's scripts; null = the gateway default.</summary>
    public TimeSpan? Budget { get; init; }

    /// <summary>Per-invocation allocation budget of this host's scripts in bytes (<c>budget_mb</c>); null = the gateway default.</summary>
    public long? AllocationBudget { get; init; }

    /// <summary>Wall-time bound of the host's content script, upstream waits included (<c>content_timeout</c> in seconds); null = 60 s.</summary>
    public TimeSpan? ContentTimeout { get; init; }

    /// <summary>The host's declarative rate limit (<c>"limit"</c>), checked before any script runs; null = none.</summary>
    public Services.Limits.LimitConfig? Limit { get; init; }

    /// <summary>Plain-http requests for this host are answered 301 to the same URL over https (<c>https_redirect</c>).</summary>
    public bool HttpsRedirect { get; init; }

    /// <summary>Script files by phase, as full paths (given relative to scripts.json's folder).</summary>
    public ImmutableDictionary<string, string> ScriptFiles { get; init; } = ImmutableDictionary<string, string>.Empty;
}
