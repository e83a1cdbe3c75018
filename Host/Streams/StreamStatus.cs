namespace Slardar.Scriptable.Host.Streams;

/// <summary>A session's outcome in the access log and metrics, in nginx stream's <c>$status</c> codes.</summary>
internal static class StreamStatus
{
    /// <summary>The session was proxied (whatever ended it afterwards: either side closing, idle, drain).</summary>
    public const int Ok = 200;

    /// <summary>The preread script refused the connection.</summary>
    public const int Refused = 403;

    /// <summary>The preread script failed (exception, budget) or is quarantined.</summary>
    public const int ScriptFailed = 500;

    /// <summary>No peer could be connected (refused, unreachable, no live peer, unknown upstream).</summary>
    public const int ConnectFailed = 502;

    /// <summary>The listener's session limit was reached (closed at accept), or its preread script is quarantined or found no script thread.</summary>
    public const int Overloaded = 503;

    /// <summary>The preread script is quarantined or could not start: the session is refused (fails closed).</summary>
    public const int Unavailable = 503;

    /// <summary>The client went away (or the listener drained) before the session was connected.</summary>
    public const int ClientClosed = 499;

    /// <summary>The last connect try timed out.</summary>
    public const int ConnectTimedOut = 504;
}
