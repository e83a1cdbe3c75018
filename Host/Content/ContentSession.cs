using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Upstreams;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Content;

/// <summary>
/// One request's content script services (<c>Http</c>, <c>Checkups</c>, <c>Response</c>) and what
/// they did: the tries of every upstream call in call order (for the access log), the responses to
/// free when the request ends, the attempts of <c>ReadyOkAsync</c> in flight (a peer handed to an
/// attempt is sent to as that try).
/// </summary>
internal sealed class ContentSession : IContentSession, IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<TryRecord> _tries = [];
    private readonly List<string> _upstreams = [];
    private readonly List<UpstreamResponse> _responses = [];
    private readonly Dictionary<Peer, ContentAttempt> _attempts = new(ReferenceEqualityComparer.Instance);
    private ContentResponse? _response;

    public ContentSession(ContentServices services, HttpContext context, HttpScriptRequest request, bool trusted)
    {
        Services = services;
        Context = context;
        Request = request;
        Trusted = trusted;
        Http = new ContentHttp(this);
        Checkups = new ContentCheckups(this);
    }

    public ContentServices Services { get; }

    public HttpContext Context { get; }

    public HttpScriptRequest Request { get; }

    /// <summary>The host is trusted (scripts.json): its script may call absolute URLs.</summary>
    public bool Trusted { get; }

    public ScriptIoWaits Waits => Request.Waits;

    public IScriptHttp Http { get; }

    public IContentCheckups Checkups { get; }

    public IScriptResponse Response => _response ??= new ContentResponse(this);

    /// <summary>Whether the script made (or began) a response of its own through <see cref="Response"/>.</summary>
    public bool AnsweredItself => _response is { Used: true } || Context.Response.HasStarted;

    /// <summary>Upstream calls' tries, in the order they ended.</summary>
    public List<TryRecord> Tries
    {
        get
        {
            lock (_lock)
            {
                return [.. _tries];
            }
        }
    }

    /// <summary>The upstreams called, in first-call order, for the access log ("a, b"); null when none.</summary>
    public string? UpstreamNames
    {
        get
        {
            lock (_lock)
            {
                return _upstreams.Count == 0 ? null : string.Join(", ", _upstreams);
            }
        }
    }

    public void Attach(ScriptBudget budget) => Waits.Attach(budget, budget.Limits.MaxWallTime, Services.Time);

    /// <summary>Keeps a finished call's tries for the access log.</summary>
    public void Record(UpstreamCall call)
    {
        lock (_lock)
        {
            _tries.AddRange(call.Tries);
            if (!_upstreams.Contains(call.Upstream.Name))
            {
                _upstreams.Add(call.Upstream.Name);
            }
        }
    }

    /// <summary>Frees <paramref name="response"/> when the request ends, unless the script did before.</summary>
    public UpstreamResponse Track(UpstreamResponse response)
    {
        lock (_lock)
        {
            _responses.Add(response);
        }

        return response;
    }

    public void BeginAttempt(Peer peer, ContentAttempt attempt)
    {
        lock (_lock)
        {
            _attempts[peer] = attempt;
        }
    }

    public void EndAttempt(Peer peer)
    {
        lock (_lock)
        {
            _attempts.Remove(peer);
        }
    }

    /// <summary>The <c>ReadyOkAsync</c> attempt <paramref name="peer"/> was handed to, while it runs.</summary>
    public ContentAttempt? AttemptOf(Peer peer)
    {
        lock (_lock)
        {
            return _attempts.GetValueOrDefault(peer);
        }
    }

    /// <summary>Where a call to <paramref name="peer"/> of <paramref name="upstream"/> goes: its TLS and connect settings.</summary>
    public SendTarget TargetOf(UpstreamState upstream, PeerState peer) => new(
        peer.Host,
        peer.Port,
        upstream.Config.Tls is not null,
        upstream.Config.Tls,
        Services.Engine.PolicyFor(upstream.Config).ConnectTimeout,
        upstream.Name,
        new Peer(peer.Host, peer.Port),
        upstream.Config.Http2);

    public void Dispose()
    {
        UpstreamResponse[] responses;
        lock (_lock)
        {
            responses = [.. _responses];
            _responses.Clear();
        }

        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
