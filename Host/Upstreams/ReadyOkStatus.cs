namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>How a <see cref="ReadyOk"/> call ended.</summary>
internal enum ReadyOkStatus
{
    /// <summary>A try succeeded; the result carries its value and peer.</summary>
    Success,

    /// <summary><c>upstream &lt;name&gt; not found</c>.</summary>
    UpstreamNotFound,

    /// <summary><c>no servers available</c>: every peer of the chosen levels is down, ejected or failed in this call.</summary>
    NoServersAvailable,

    /// <summary><c>try_timeout exceeded</c>: the callbacks used up the time budget.</summary>
    TryTimeoutExceeded,

    /// <summary>The try limit was reached; the error is the last try's.</summary>
    TriesExhausted,

    /// <summary>
    /// The last try answered with a status that is a retry condition and no other try could follow:
    /// that answer is the result (with <c>statusOf</c> only), as the proxy would pass it on.
    /// </summary>
    FailedStatus,
}
