namespace Slardar.Scriptable.Host.Consul;

/// <summary>A service's <c>Weights</c>: the weight to use while its checks pass, and while one warns.</summary>
internal sealed record ConsulServiceWeights(int Passing, int Warning)
{
    /// <summary>Consul's defaults when a registration names no weights.</summary>
    public static ConsulServiceWeights Default { get; } = new(1, 1);
}
