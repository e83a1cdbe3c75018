namespace Slardar.Scriptable.Host.Upstreams;

/// <summary>How a call ended; the tries themselves are on the <see cref="UpstreamCall"/>.</summary>
/// <param name="ErrorCode">With <see cref="UpstreamCallEnd.Answered"/>: the X-Error-Code the chooser's answer carried.</param>
internal readonly record struct UpstreamCallResult(UpstreamCallEnd End, int? ErrorCode = null)
{
    public bool Completed => End == UpstreamCallEnd.Completed;
}
