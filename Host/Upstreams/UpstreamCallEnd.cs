namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>Why a call ended.</summary>
internal enum UpstreamCallEnd
{
    /// <summary>The last try's result stands: a good answer, a failed status passed on, a response already started, or the client gone.</summary>
    Completed,

    /// <summary>The chooser answered the caller itself.</summary>
    Answered,

    /// <summary>No usable peer was left to try (none at all when <see cref="UpstreamCall.Attempts"/> is 0).</summary>
    NoLivePeers,

    /// <summary>The chooser chose no peer.</summary>
    NoPeerChosen,

    /// <summary>The try limit (the upstream's <c>try</c>, or what the chooser allowed) was reached.</summary>
    TriesUsedUp,

    /// <summary>The call's time budget (<c>try_timeout</c>, wall time since the call began) was used up.</summary>
    TimeBudgetUsedUp,

    /// <summary>The last failure may not be retried: not in next_upstream, unsafe method, body not replayable, client gone, response started.</summary>
    NotRetryable,
}
