namespace Slardar.Scriptable.Host.Checkups;

/// <summary>When a failed try moves on to the next peer (nginx's <c>proxy_next_upstream</c>).</summary>
[Flags]
internal enum NextUpstreamConditions
{
    Off = 0,
    Error = 1 << 0,
    Timeout = 1 << 1,
    Http500 = 1 << 2,
    Http502 = 1 << 3,
    Http503 = 1 << 4,
    Http504 = 1 << 5,
    Http429 = 1 << 6,
    Http403 = 1 << 7,
    Http404 = 1 << 8,

    /// <summary>Also resend POST, PATCH and LOCK after the peer may have received them.</summary>
    NonIdempotent = 1 << 9,
}
