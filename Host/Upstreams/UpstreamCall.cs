using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>
/// The live state of one logical call to an upstream across its tries (one proxied request, one
/// <c>ready_ok</c>): which peers were tried and how each try ended, and the rules that say whether
/// another try may start. The <see cref="TryEngine"/> drives it; a transport reads it during a try.
/// </summary>
internal sealed class UpstreamCall
{
    private readonly TimeProvider _time;

    /// <param name="startedAt">When the call began (the engine clock's timestamp): the time budget counts from here.</param>
    public UpstreamCall(UpstreamState upstream, RetryPolicy policy, TimeProvider time, long startedAt)
    {
        Upstream = upstream;
        Policy = policy;
        _time = time;
        StartedAt = startedAt;
    }

    public UpstreamState Upstream { get; private set; }

    public RetryPolicy Policy { get; private set; }

    public long StartedAt { get; private set; }

    /// <summary>Key for the hashing modes; null = none (round robin in those modes).</summary>
    public string? HashKey { get; set; }

    /// <summary>Levels to use, in order (checkups' <c>cluster_key</c>); null = every level.</summary>
    public IReadOnlyList<string>? ClusterKeys { get; set; }

    /// <summary>False for a request a peer may act on twice (nginx: POST, PATCH, LOCK): resent only when nothing reached the peer, unless next_upstream has non_idempotent.</summary>
    public bool IsIdempotent { get; set; } = true;

    /// <summary>The request body, when there is one that a retry must resend.</summary>
    public IReplayableBody? Body { get; set; }

    /// <summary>Ended by the caller (the client went away, the caller's token): no further try.</summary>
    public CancellationToken Aborted { get; set; }

    public List<PeerState> TriedPeers { get; } = new(2);

    public List<TryRecord> Tries { get; } = new(2);

    public int Attempts => TriedPeers.Count;

    /// <summary>The last finished try; null before the first ends.</summary>
    public TryRecord? LastTry => Tries.Count == 0 ? null : Tries[^1];

    /// <summary>With a chooser: the tries it has allowed so far (1, plus every <see cref="AllowMoreTries"/>, as balancer_by_lua's set_more_tries); null without one.</summary>
    public int? ChooserTries { get; private set; }

    /// <summary>The current try's peer was chosen by the chooser, which then owns its passive health.</summary>
    public bool PeerChosenByChooser { get; private set; }

    /// <summary>The current try's response was a retry condition and was kept from the caller's client.</summary>
    public bool HeldBack { get; private set; }

    /// <summary>The current try's failed status was recorded against its peer before the response went out.</summary>
    public bool FailureReported { get; private set; }

    public void AllowMoreTries(int count)
    {
        if (ChooserTries is { } allowed)
        {
            ChooserTries = allowed + Math.Max(0, count);
        }
    }

    /// <summary>
    /// Whether a response with <paramref name="status"/> is to be held back for another try (its body
    /// then never reaches the client and the next peer answers instead). Marks the try held back.
    /// </summary>
    public bool ShouldHoldBack(int status)
    {
        var condition = NextUpstreamParser.ForStatus(status);
        HeldBack = Policy.Allows(condition) && NextTryBlockedBy(condition, requestMayHaveReachedPeer: true, responseStarted: false) is null;
        return HeldBack;
    }

    /// <summary>Whether <paramref name="status"/> is a failed status for this call (a next_upstream condition).</summary>
    public bool IsFailureStatus(int status) => Policy.Allows(NextUpstreamParser.ForStatus(status));

    /// <summary>
    /// A failed status (a retry condition that counts against the peer) that goes out because no try
    /// is left: recorded now, before the client can send its next request, as nginx does. The engine
    /// then only frees the peer's in-flight slot. A chooser's peer is left to the chooser.
    /// </summary>
    public void ReportFailedStatusEarly(int status)
    {
        if (PeerChosenByChooser || Attempts == 0 || !IsFailureStatus(status) || !TryRules.CountsAgainstPeer(TryFailure.Status, status))
        {
            return;
        }

        Upstream.Report(TriedPeers[^1], failed: true, status);
        FailureReported = true;
    }

    /// <summary>
    /// Why no further try may follow a try that failed with <paramref name="condition"/>; null when one may.
    /// </summary>
    public UpstreamCallEnd? NextTryBlockedBy(NextUpstreamConditions condition, bool requestMayHaveReachedPeer, bool responseStarted)
    {
        if (!Policy.Allows(condition))
        {
            return UpstreamCallEnd.NotRetryable;
        }

        if (Attempts >= Policy.Tries || (ChooserTries is { } allowed && Attempts >= allowed))
        {
            return UpstreamCallEnd.TriesUsedUp;
        }

        if (Policy.Budget > TimeSpan.Zero && _time.GetElapsedTime(StartedAt) >= Policy.Budget)
        {
            return UpstreamCallEnd.TimeBudgetUsedUp;
        }

        if (Aborted.IsCancellationRequested || responseStarted || Body is { CanReplay: false })
        {
            return UpstreamCallEnd.NotRetryable;
        }

        return requestMayHaveReachedPeer && !IsIdempotent && !Policy.Allows(NextUpstreamConditions.NonIdempotent)
            ? UpstreamCallEnd.NotRetryable
            : null;
    }

    /// <summary>
    /// Starts the object over as a new call (the proxy pools its calls with their exchanges): every
    /// field as a new call has it, the lists emptied but kept.
    /// </summary>
    internal void Reuse(UpstreamState upstream, RetryPolicy policy, long startedAt)
    {
        Upstream = upstream;
        Policy = policy;
        StartedAt = startedAt;
        HashKey = null;
        ClusterKeys = null;
        IsIdempotent = true;
        Body = null;
        Aborted = default;
        TriedPeers.Clear();
        Tries.Clear();
        ChooserTries = null;
        PeerChosenByChooser = false;
        HeldBack = false;
        FailureReported = false;
    }

    internal void Begin(bool hasChooser) => ChooserTries = hasChooser ? 1 : null;

    internal void BeginTry(PeerState peer, bool chosenByChooser)
    {
        TriedPeers.Add(peer);
        PeerChosenByChooser = chosenByChooser;
        HeldBack = false;
        FailureReported = false;
        if (Attempts > 1)
        {
            Body?.Rewind();
        }
    }

    internal void EndTry(TryRecord record) => Tries.Add(record);
}
