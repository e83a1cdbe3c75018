namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>Per-call options of <see cref="ReadyOk"/> (checkups' <c>ready_ok</c> opts).</summary>
internal sealed record ReadyOkOptions
{
    public static ReadyOkOptions Default { get; } = new();

    /// <summary>Most tries, the first included; null = the upstream's <c>try</c>, else the gateway's <c>Proxy:Tries</c>.</summary>
    public int? Tries { get; init; }

    /// <summary>Wall time from the start of the call after which no further try starts; null = the upstream's <c>try_timeout</c>, else the gateway's; zero = none.</summary>
    public TimeSpan? TryTimeout { get; init; }

    /// <summary>Key for the hashing modes (<c>hash_key</c>); null = none (the level falls back to round robin).</summary>
    public string? HashKey { get; init; }

    /// <summary>Levels to use, in order (<c>cluster_key</c>): names, or 1-based indices for array levels.</summary>
    public IReadOnlyList<string>? ClusterKeys { get; init; }

    /// <summary>What the callbacks send as a body, when a retry must be able to resend it; null = nothing to resend.</summary>
    public IReplayableBody? Body { get; init; }

    /// <summary>Hears the call's end, with its tries (for a caller that logs them with its request).</summary>
    public Action<UpstreamCall>? OnEnd { get; init; }
}
