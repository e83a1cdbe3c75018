namespace Slardar.Scriptable.Host.Consul;

/// <summary>Timing of a <see cref="ConsulWatch{T}"/>.</summary>
internal sealed record ConsulWatchOptions
{
    /// <summary>The <c>wait</c> of each blocking query (Consul caps it at 10 minutes).</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Least time between the starts of two queries. A healthy blocking query takes far longer; this
    /// only bites when the server answers at once again and again, which would otherwise spin.
    /// </summary>
    public TimeSpan MinQueryGap { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Back-off after the first failure; doubles with each further one.</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the back-off.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);
}
