using Slardar.Scriptable.Host.Bodies;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Upstreams;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// One proxied request's HTTP side: the request, its upstream call (tries and retry rules), its
/// scripts, and what the current try's response said. Set as a feature of the request so the
/// shared <see cref="ProxyTransformer"/> finds it.
/// </summary>
internal sealed class ProxyExchange
{
    public ProxyExchange(HttpContext context, UpstreamCall call, string? clientIp)
    {
        Context = context;
        Call = call;
        ClientIp = clientIp;
    }

    public HttpContext Context { get; private set; }

    public UpstreamCall Call { get; }

    /// <summary>The client's address, formatted once per request (X-Forwarded-For, access log).</summary>
    public string? ClientIp { get; private set; }

    public RecordedBodyReader? Body { get; set; }

    /// <summary>The host's scripts, read once per request, and the state they share across phases.</summary>
    public HostScriptSet? Scripts { get; set; }

    public ScriptRequestContext? ScriptContext { get; set; }

    /// <summary>The status the current try's peer answered with; 0 when it gave none.</summary>
    public int PeerStatus { get; private set; }

    /// <summary>When the current try's response headers arrived; 0 when they did not (yet).</summary>
    public long ResponseHeadersAt { get; private set; }

    /// <summary>Starts a pooled exchange (and its call, reset by the caller) over for another request.</summary>
    internal void Reuse(HttpContext context, string? clientIp)
    {
        Context = context;
        ClientIp = clientIp;
        Body = null;
        Scripts = null;
        ScriptContext = null;
        PeerStatus = 0;
        ResponseHeadersAt = 0;
    }

    /// <summary>Drops what the finished request referenced, so a pooled exchange keeps nothing alive.</summary>
    internal void Release()
    {
        Context = null!;
        ClientIp = null;
        Body = null;
        Scripts = null;
        ScriptContext = null;
        Call.Reuse(Call.Upstream, Call.Policy, 0);
    }

    public void BeginTry()
    {
        PeerStatus = 0;
        ResponseHeadersAt = 0;
    }

    public void ResponseHeaders(int status, long at)
    {
        PeerStatus = status;
        ResponseHeadersAt = at;
    }

    /// <summary>Whether nginx would treat the request as idempotent: POST, PATCH and LOCK are not.</summary>
    public static bool IsIdempotent(string method) =>
        !(HttpMethods.IsPost(method) || HttpMethods.IsPatch(method) || string.Equals(method, "LOCK", StringComparison.OrdinalIgnoreCase));
}
