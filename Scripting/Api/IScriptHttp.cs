namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// A content script's HTTP client: it reaches only peers of configured upstreams (never an arbitrary
/// URL, host or port), so a script cannot be turned into an open proxy. Each call answers once the
/// response headers have arrived; every call shows in the access log, the metrics and passive health.
/// </summary>
public interface IScriptHttp
{
    /// <summary>
    /// Sends <paramref name="request"/> to <paramref name="peer"/>, which must be a server of a configured
    /// upstream (the peer <c>Checkups.ReadyOkAsync</c> hands its attempt, say). One try.
    /// </summary>
    /// <exception cref="UpstreamUnavailableException">No answer came (connect failure, timeout).</exception>
    /// <exception cref="InvalidOperationException">The peer is no server of any configured upstream.</exception>
    Task<UpstreamResponse> SendAsync(Peer peer, UpstreamRequest request);

    /// <summary>Sends <paramref name="request"/> to one peer of <paramref name="upstream"/>, chosen by its balancing (one try).</summary>
    /// <exception cref="UpstreamUnavailableException">No peer was usable, or it gave no answer.</exception>
    Task<UpstreamResponse> SendAsync(string upstream, UpstreamRequest request);

    /// <summary>Sends to an absolute <c>http://</c> or <c>https://</c> URL: only for a <c>trusted</c> host (scripts.json).</summary>
    Task<UpstreamResponse> SendAsync(Uri url, UpstreamRequest request);
}
