namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>How one try to a peer ended.</summary>
internal enum TryFailure
{
    None,

    /// <summary>The TCP connection could not be made: nothing reached the peer, always safe to resend.</summary>
    ConnectError,

    /// <summary>The TCP connection was not made in time: nothing reached the peer.</summary>
    ConnectTimeout,

    /// <summary>The peer failed after the request may have reached it (reset, malformed response).</summary>
    Error,

    /// <summary>The peer stalled longer than the send or read timeout.</summary>
    Timeout,

    /// <summary>The peer answered with a status listed in next_upstream.</summary>
    Status,

    /// <summary>The client went away or sent a broken body: never retried, never held against the peer.</summary>
    Client,

    /// <summary>The peer failed after the response started streaming to the client: cannot be retried.</summary>
    AfterResponseStarted,
}
