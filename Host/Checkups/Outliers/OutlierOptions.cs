namespace Slardar.Scriptable.Host.Checkups.Outliers;

/// <summary>
/// Outlier detection settings of an upstream (its <c>outlier</c> object). Immutable; the defaults
/// apply when the object or a field is absent. See <see cref="OutlierDetector"/> for the rules.
/// </summary>
internal sealed record OutlierOptions
{
    public static OutlierOptions Default { get; } = new();

    /// <summary><c>enable</c>: false turns detection off and lets every ejected peer back at once.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>window</c>: how far back 5xx are counted (10 buckets of window/10).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>min_requests</c>: requests in the window before a peer's rate means anything.</summary>
    public int MinRequests { get; init; } = 20;

    /// <summary><c>factor</c>: how many standard deviations above the others' mean rate ejects.</summary>
    public double Factor { get; init; } = 3;

    /// <summary><c>consecutive_5xx</c>: errors in a row that eject; 0 turns that rule off.</summary>
    public int Consecutive5xx { get; init; } = 5;

    /// <summary><c>max_ejection_percent</c>: share of the upstream's peers that may be out at once.</summary>
    public int MaxEjectionPercent { get; init; } = 50;

    /// <summary><c>base_ejection_time</c>: an ejection lasts this × the times the peer was ejected.</summary>
    public TimeSpan BaseEjectionTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>max_ejection_time</c>: the longest an ejection lasts.</summary>
    public TimeSpan MaxEjectionTime { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// <c>panic_threshold</c>: below this percent of usable peers in a level, its ejections are
    /// ignored; 0 turns panic off. 50 (Envoy's) because, with the default 50% ejection cap,
    /// ejections alone never cause panic: only ejections plus passive failures or heartbeats do.
    /// </summary>
    public int PanicThreshold { get; init; } = 50;
}
