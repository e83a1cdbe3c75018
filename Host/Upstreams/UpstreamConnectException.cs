namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>Thrown by the connect callback so a failed try can tell "never connected" from "failed later".</summary>
internal sealed class UpstreamConnectException : IOException
{
    public UpstreamConnectException(string message, bool timedOut, Exception? inner = null)
        : base(message, inner)
    {
        TimedOut = timedOut;
    }

    public bool TimedOut { get; }
}
