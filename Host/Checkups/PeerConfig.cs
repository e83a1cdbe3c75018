namespace Slardar.Scriptable.Host.Checkups;

/// <summary>One server of an upstream level, as configured (Slardar's <c>servers[]</c> entry).</summary>
internal sealed record PeerConfig
{
    public const int DefaultWeight = 1;

    // nginx's default; lua-resty-checkups defaulted to 0 (passive checks off), which surprised users.
    public const int DefaultMaxFails = 1;

    public static readonly TimeSpan DefaultFailTimeout = TimeSpan.FromSeconds(10);

    public required string Host { get; init; }

    public required int Port { get; init; }

    public int Weight { get; init; } = DefaultWeight;

    /// <summary>Failures within <see cref="FailTimeout"/> that take the peer out; 0 disables passive marking.</summary>
    public int MaxFails { get; init; } = DefaultMaxFails;

    /// <summary>Both the failure-counting window and how long a peer stays out.</summary>
    public TimeSpan FailTimeout { get; init; } = DefaultFailTimeout;

    /// <summary>"host:port", with an IPv6 literal bracketed so the result is a valid URI authority.</summary>
    public string Address => Host.Contains(':', StringComparison.Ordinal) && !Host.StartsWith('[')
        ? $"[{Host}]:{Port}"
        : $"{Host}:{Port}";
}
