using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Upstreams;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Content;

/// <summary>
/// <c>Http</c> as a content script sees it. Every call goes to a peer of a configured upstream and
/// through the try engine (metrics, passive health, the access log), except a trusted host's
/// absolute URLs; a call inside a <c>ReadyOkAsync</c> attempt to the attempt's peer is that try.
/// </summary>
internal sealed class ContentHttp : IScriptHttp
{
    private readonly ContentSession _session;

    public ContentHttp(ContentSession session)
    {
        _session = session;
    }

    public Task<UpstreamResponse> SendAsync(Peer peer, UpstreamRequest request)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(request);
        if (_session.AttemptOf(peer) is { } attempt)
        {
            // The engine records this try when the attempt ends; the body is the attempt's to replay.
            if (request.Body is { } body)
            {
                attempt.Bodies.Add(body);
            }

            return _session.Waits.RunAsync(async token => _session.Track(await _session.Services.Sender.SendAsync(
                _session.TargetOf(attempt.Upstream, attempt.Peer), request, _session.Waits, _session.Context.RequestAborted).ConfigureAwait(false)));
        }

        var (upstream, known) = _session.Services.Upstreams.FindListing(peer.Host, peer.Port)
            ?? throw new InvalidOperationException($"{peer} is not a server of any configured upstream: content scripts call upstream peers only (POST /upstream/<name> to add one).");
        return CallAsync(upstream, new ContentSend(_session, request, known));
    }

    public Task<UpstreamResponse> SendAsync(string upstream, UpstreamRequest request)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(request);
        if (!_session.Services.Upstreams.TryGet(upstream, out var state))
        {
            throw new UpstreamUnavailableException($"upstream {upstream} not found", upstream, timedOut: false);
        }

        return CallAsync(state, new ContentSend(_session, request));
    }

    public Task<UpstreamResponse> SendAsync(Uri url, UpstreamRequest request)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(request);
        if (!_session.Trusted)
        {
            throw new InvalidOperationException("Only a trusted host's script (\"trusted\": true in scripts.json) may call an absolute URL; call an upstream's peers instead.");
        }

        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"\"{url}\" is not an absolute http:// or https:// URL.", nameof(url));
        }

        var target = new SendTarget(url.IdnHost, url.Port, url.Scheme == Uri.UriSchemeHttps, Tls: null, _session.Services.Engine.Defaults.ConnectTimeout, Upstream: null, Peer: null);
        return _session.Waits.RunAsync(async token => _session.Track(await _session.Services.Sender.SendAsync(target, request, _session.Waits, _session.Context.RequestAborted).ConfigureAwait(false)));
    }

    // One try through the engine, with the request's waits (the budget's clock stands still).
    private Task<UpstreamResponse> CallAsync(UpstreamState upstream, ContentSend send) => _session.Waits.RunAsync(async token =>
    {
        var services = _session.Services;
        var policy = services.Engine.PolicyFor(upstream.Config) with { Tries = 1 };
        var call = new UpstreamCall(upstream, policy, services.Time, services.Time.GetTimestamp()) { Aborted = token };
        UpstreamCallResult result;
        try
        {
            result = await services.Engine.RunAsync(call, send, services.Transport, send.Pinned is null ? null : services.Transport).ConfigureAwait(false);
        }
        finally
        {
            _session.Record(call);
        }

        return send.Response
            ?? throw send.Failure
            ?? new UpstreamUnavailableException(
                result.End == UpstreamCallEnd.NoLivePeers ? $"upstream {upstream.Name}: no live peers" : $"upstream {upstream.Name}: no answer ({result.End})",
                upstream.Name,
                timedOut: false);
    });
}
