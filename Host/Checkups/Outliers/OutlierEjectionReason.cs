namespace Slardar.Scriptable.Host.Checkups.Outliers;

/// <summary>Which rule of <see cref="OutlierDetector"/> ejected a peer.</summary>
internal enum OutlierEjectionReason
{
    /// <summary><c>consecutive_5xx</c> errors in a row.</summary>
    Consecutive5xx,

    /// <summary>A 5xx rate more than <c>factor</c> standard deviations above the other peers' mean.</summary>
    ErrorRate,
}
