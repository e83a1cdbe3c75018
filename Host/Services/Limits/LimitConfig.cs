namespace Slardar.Scriptable.Host.Services.Limits;

/// <summary>
/// One rate limit as nginx's limit_req: <see cref="Rate"/> requests per second sustained, plus
/// <see cref="Burst"/> more at once. From scripts.json <c>"limits"</c> / a host's <c>"limit"</c>, or
/// Consul <c>config/limit</c>: <c>{"rate": 100, "burst": 20, "scope": "cluster", "key": "ip",
/// "fallback": "local"}</c>.
/// </summary>
internal sealed record LimitConfig(string Name, double Rate, int Burst)
{
    public LimitScope Scope { get; init; } = LimitScope.Local;

    public LimitFallback Fallback { get; init; } = LimitFallback.Local;

    /// <summary>For a host's limit: what it counts by.</summary>
    public LimitKeyKind Key { get; init; } = LimitKeyKind.Ip;

    /// <summary>For <see cref="LimitKeyKind.Header"/>: the header's name.</summary>
    public string? Header { get; init; }

    /// <summary>The bucket's capacity: a new key passes burst + 1 requests at once.</summary>
    public double Capacity => Burst + 1;
}
