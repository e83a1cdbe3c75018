namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// The <c>outcome</c> label values of <c>slardar_upstream_tries_total</c>. Kept to a fixed, small
/// vocabulary so the label's cardinality stays bounded.
/// </summary>
internal static class TryOutcome
{
    /// <summary>The peer answered and the answer was kept.</summary>
    public const string Ok = "ok";

    /// <summary>Connecting to or talking with the peer failed.</summary>
    public const string Error = "error";

    /// <summary>The peer did not answer in time.</summary>
    public const string Timeout = "timeout";

    /// <summary>The peer answered with a status configured as a failure (next_upstream http_5xx etc.).</summary>
    public const string Status = "status";

    /// <summary>The client went away or sent a broken request; not the peer's fault.</summary>
    public const string Client = "client";
}
