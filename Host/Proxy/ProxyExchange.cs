using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// The live state of one proxied request across its tries: which peers were tried, what each try
/// answered, and whether another try is still allowed (tries, time budget, body replay, method safety).
/// </summary>
internal sealed class ProxyExchange
{
    private readonly TimeProvider _time;
    private readonly long _startedAt;

    public ProxyExchange(HttpContext context, UpstreamState upstream, RetryPolicy policy, TimeProvider time, long startedAt)
    {
        Context = context;
        Upstream = upstream;
        Policy = policy;
        _time = time;
        _startedAt = startedAt;
        IsIdempotent = !(HttpMethods.IsPost(context.Request.Method)
            || HttpMethods.IsPatch(context.Request.Method)
            || string.Equals(context.Request.Method, "LOCK", StringComparison.OrdinalIgnoreCase));
    }

    public HttpContext Context { get; }

    public UpstreamState Upstream { get; }

    public RetryPolicy Policy { get; }

    public ReplayableRequestBody? Body { get; set; }

    /// <summary>The host's scripts, read once per request, and the state they share across phases.</summary>
    public HostScriptSet? Scripts { get; init; }

    public ScriptRequestContext? ScriptContext { get; init; }

    /// <summary>With a balancer script: tries it has allowed so far (1, plus every SetMoreTries), as balancer_by_lua.</summary>
    public int ScriptTriesAllowed { get; private set; } = 1;

    public void AllowMoreTries(int count) => ScriptTriesAllowed += Math.Max(0, count);

    /// <summary>nginx resends POST, PATCH and LOCK only after a connect failure unless the upstream opts in.</summary>
    public bool IsIdempotent { get; }

    public List<PeerState> TriedPeers { get; } = new(2);

    public List<TryRecord> Tries { get; } = new(2);

    /// <summary>The status the current try's peer answered with; 0 when it gave none.</summary>
    public int PeerStatus { get; set; }

    /// <summary>The current try's response was a retry condition and was kept from the client.</summary>
    public bool HeldBack { get; set; }

    public int Attempts => TriedPeers.Count;

    /// <summary>When the current try's response headers arrived; 0 when they did not (yet).</summary>
    public long ResponseHeadersAt { get; private set; }

    public void MarkResponseHeaders() => ResponseHeadersAt = _time.GetTimestamp();

    /// <summary>The current try's failed status was recorded against its peer before the response went to the client.</summary>
    public bool FailureReported { get; private set; }

    /// <summary>
    /// A failed status (a retry condition that counts against the peer) that goes to the client
    /// because no try is left: recorded now, before the client can send its next request, as nginx
    /// does. The retry loop then only frees the peer's in-flight slot. A balancer script owns
    /// passive health itself and hears of the try as its LastFailure.
    /// </summary>
    public void ReportFailedStatusEarly()
    {
        if (Scripts?.Balancer is not null || TriedPeers.Count == 0
            || !Policy.Allows(NextUpstreamParser.ForStatus(PeerStatus)) || !TryClassifier.CountsAgainstPeer(TryFailure.Status, this))
        {
            return;
        }

        Upstream.Report(TriedPeers[^1], failed: true, PeerStatus);
        FailureReported = true;
    }

    public void BeginTry(PeerState peer)
    {
        TriedPeers.Add(peer);
        PeerStatus = 0;
        HeldBack = false;
        FailureReported = false;
        ResponseHeadersAt = 0;
        if (Attempts > 1)
        {
            Body?.Rewind();
        }
    }

    /// <summary>Whether a response with <paramref name="status"/> should be held back for another try.</summary>
    public bool ShouldHoldBack(int status)
    {
        var condition = NextUpstreamParser.ForStatus(status);
        return Policy.Allows(condition) && CanTryAgain(condition, requestMayHaveReachedPeer: true);
    }

    /// <summary>Whether a try that failed with <paramref name="condition"/> may be followed by another.</summary>
    public bool CanTryAgain(NextUpstreamConditions condition, bool requestMayHaveReachedPeer)
    {
        if (!Policy.Allows(condition) || Attempts >= Policy.Tries || (Scripts?.Balancer is not null && Attempts >= ScriptTriesAllowed))
        {
            return false;
        }

        if (Policy.Budget > TimeSpan.Zero && _time.GetElapsedTime(_startedAt) >= Policy.Budget)
        {
            return false;
        }

        if (Context.RequestAborted.IsCancellationRequested || Context.Response.HasStarted)
        {
            return false;
        }

        if (Body is { CanReplay: false })
        {
            return false;
        }

        return !requestMayHaveReachedPeer || IsIdempotent || Policy.Allows(NextUpstreamConditions.NonIdempotent);
    }
}
