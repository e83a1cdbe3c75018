namespace Slardar.Scriptable.Host.Errors;

/// <summary>
/// An error the gateway itself answers with, in Slardar's errno style: an 8-digit code whose first
/// three digits are the HTTP status, sent as <c>X-Error-Code</c> and in a JSON body <c>{status, code, msg}</c>.
/// </summary>
internal sealed record GatewayError(int Code, string Message)
{
    public int Status => Code / 100_000;

    public static GatewayError NoRoute { get; } = new(40400001, "no route for host");

    public static GatewayError UpstreamNotFound { get; } = new(50200001, "upstream not found");

    public static GatewayError NoLivePeers { get; } = new(50200002, "no live peers in upstream");

    public static GatewayError UpstreamFailed { get; } = new(50200003, "upstream request failed");

    public static GatewayError UpstreamTimedOut { get; } = new(50400001, "upstream timed out");

    public static GatewayError RequestBodyFailed { get; } = new(40000001, "reading the request body failed");

    public static GatewayError ScriptFailed { get; } = new(50000001, "script failed");

    public static GatewayError ScriptBudgetExceeded { get; } = new(50000002, "script exceeded its budget");

    /// <summary>A script of the host's request path is quarantined: fail closed, never skip it.</summary>
    public static GatewayError ScriptQuarantined { get; } = new(50300001, "script quarantined");

    /// <summary>
    /// No script thread was free for the request within <c>Scripts:Threads:QueueTimeoutMs</c>: the
    /// script did not run. The machine's load, not the script's doing: never counted toward quarantine.
    /// </summary>
    public static GatewayError ScriptThreadsBusy { get; } = new(50300002, "script threads busy");

    /// <summary>The host's declarative rate limit refused the request (before any script ran); sent with Retry-After.</summary>
    public static GatewayError RateLimited { get; } = new(42900001, "rate limit exceeded");

    public static GatewayError BalancerChoseNoPeer { get; } = new(50200004, "balancer script set no peer");

    /// <summary>A content script outlived its host's <c>content_timeout</c> (upstream waits included).</summary>
    public static GatewayError ContentTimedOut { get; } = new(50400002, "content script timed out");
}
