namespace Slardar.Scriptable.Scripting.Api;

/// <summary>The gateway's upstreams as a content script uses them (lua-resty-checkups' <c>ready_ok</c>).</summary>
public interface IContentCheckups
{
    /// <summary>
    /// checkups' <c>ready_ok</c>: runs <paramref name="attempt"/> on peers of <paramref name="upstream"/>
    /// by its levels and balancing, with its <c>try</c>, <c>try_timeout</c> and <c>next_upstream</c>
    /// rules. A thrown connect error or timeout, or a response whose status is a retry condition, is a
    /// failed try (fed to passive health, the response disposed) and the next peer is tried. Returns
    /// the first good response, or the last response when no try is left. A peer tried in this call is
    /// not offered again. A body sent in an attempt is resent on the next try while it is replayable.
    /// </summary>
    /// <param name="hashKey">Key for the hashing modes; null = the mode's round-robin fallback.</param>
    /// <exception cref="UpstreamUnavailableException">No try got an answer (or the upstream has no usable peer).</exception>
    Task<UpstreamResponse> ReadyOkAsync(string upstream, Func<Peer, Task<UpstreamResponse>> attempt, string? hashKey = null);
}
