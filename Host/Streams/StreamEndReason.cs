namespace Slardar.Scriptable.Host.Streams;

/// <summary>Why a proxied session ended (the access log's <c>end</c> field).</summary>
internal enum StreamEndReason
{
    /// <summary>Both sides closed their halves.</summary>
    Closed,

    /// <summary>One side reset or failed: the other was closed too.</summary>
    Error,

    /// <summary>No byte either way for <c>proxy_timeout</c>.</summary>
    IdleTimeout,

    /// <summary><c>max_session_time</c> passed.</summary>
    MaxSessionTime,

    /// <summary>Its listener was removed or the gateway stopped, and the drain timeout passed.</summary>
    Drained,
}
