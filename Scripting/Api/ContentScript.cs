using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// Base of content scripts (content_by_lua): they run after rewrite and auth and produce the
/// response, calling upstreams with <see cref="Http"/> and <see cref="Checkups"/>, streaming bodies
/// from one to the next. <c>return Respond(response);</c> streams an upstream's answer to the client;
/// <see cref="Response"/> makes one of the script's own; <c>Exit(...)</c> works as in every phase;
/// <c>return Next;</c> without having touched <see cref="Response"/> hands the request to the proxy
/// (to <c>Upstream</c>). Time spent waiting on upstreams is not charged to the time budget; the
/// host's <c>content_timeout</c> bounds the whole script instead.
/// </summary>
public abstract class ContentScript : RequestScript
{
    protected ContentScript()
    {
    }

    /// <summary>Calls peers of configured upstreams.</summary>
    protected IScriptHttp Http => Session.Http;

    /// <summary><c>Checkups.ReadyOkAsync(upstream, peer => ...)</c>: retries across an upstream's peers.</summary>
    protected IContentCheckups Checkups => Session.Checkups;

    /// <summary>The client's response, for an answer of the script's own making.</summary>
    protected IScriptResponse Response => Session.Response;

    private IContentSession Session => Context.Content ?? throw new InvalidOperationException("Content services are not available here (the script does not run as a host's content phase).");

    /// <summary>Answers the client with <paramref name="response"/>: its status, end-to-end headers and streamed body.</summary>
    protected static ScriptResult Respond(UpstreamResponse response) => ScriptResult.Relay(response);

    private protected override void OnBound() => Context.Content?.Attach(Budget);
}
