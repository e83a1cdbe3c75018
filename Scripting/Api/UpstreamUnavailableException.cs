namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// No answer came from an upstream: the connect failed or timed out, the peer closed or stalled
/// before its response headers, or (from <c>Checkups.ReadyOkAsync</c>) no try got an answer. A
/// script may catch it; uncaught, the request is answered 502 (504 when <see cref="TimedOut"/>) with
/// the same <c>X-Error-Code</c> the proxy uses.
/// </summary>
public sealed class UpstreamUnavailableException : Exception
{
    public UpstreamUnavailableException()
        : this("The upstream gave no answer.")
    {
    }

    public UpstreamUnavailableException(string message)
        : base(message)
    {
    }

    public UpstreamUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="upstream">The upstream called, when one was.</param>
    /// <param name="timedOut">The last try ran out of time rather than failed.</param>
    public UpstreamUnavailableException(string message, string? upstream, bool timedOut, Exception? innerException = null)
        : base(message, innerException)
    {
        Upstream = upstream;
        TimedOut = timedOut;
    }

    /// <summary>The upstream called, when one was.</summary>
    public string? Upstream { get; }

    /// <summary>The last try ran out of time (a connect or read timeout) rather than failed.</summary>
    public bool TimedOut { get; }

    /// <summary>Nothing of the request reached the peer (the connect failed): resending is safe.</summary>
    internal bool NothingSent { get; init; }
}
