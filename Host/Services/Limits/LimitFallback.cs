namespace Slardar.Scriptable.Host.Services.Limits;

/// <summary>What a cluster limit does while Redis is unreachable.</summary>
internal enum LimitFallback
{
    /// <summary>Counts locally with this gateway's share: rate and burst divided by the gateways last seen.</summary>
    Local,

    /// <summary>Lets every request through.</summary>
    Open,

    /// <summary>Refuses every request.</summary>
    Closed,
}
