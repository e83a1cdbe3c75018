namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// Maps an HTTP status to its class ("2xx"). Requests are counted per class, not per code, so the
/// series count per upstream stays at five whatever the peers answer.
/// </summary>
internal static class StatusClass
{
    /// <summary>Anything outside 100..599 (nothing valid is, but a counter must not throw).</summary>
    public const string Other = "other";

    private static readonly string[] Classes = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    public static string Of(int status) => status is >= 100 and <= 599 ? Classes[(status / 100) - 1] : Other;
}
