using Microsoft.AspNetCore.Http.Features;
using Slardar.Scriptable.Host.Bodies;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Host.Content;
using Slardar.Scriptable.Host.Errors;
using Slardar.Scriptable.Host.Observability;
using Slardar.Scriptable.Host.Observability.Metrics;
using Slardar.Scriptable.Host.Routing;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Services.Limits;
using Slardar.Scriptable.Host.Upstreams;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;
using Yarp.ReverseProxy.Forwarder;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// The proxy listener's request pipeline: host lookup, the request-stage scripts, the host's content
/// script when it has one (which may answer itself), then one call to the upstream through the
/// <see cref="TryEngine"/> (the fast HTTP/1.1 path or YARP as the transport, <see cref="ProxyTransports"/>; the host's balancer script as the chooser), then
/// the access log. It answers what the engine could not: no route, no
/// peer, every try failed.
/// </summary>
internal sealed class ProxyRequestHandler
{
    private readonly RouteTableProvider _routes;
    private readonly UpstreamRegistry _upstreams;
    private readonly TryEngine _engine;
    private readonly ProxyTransports _transports;
    private readonly ScriptBalancerChooser _balancer;
    private readonly ProxyOptions _options;
    private readonly AccessLogWriter _accessLog;
    private readonly GatewayMetrics _metrics;
    private readonly ScriptRegistry _scripts;
    private readonly ScriptPhaseRunner _phases;
    private readonly HostLimitGate _hostLimits;
    private readonly HttpsRedirect _httpsRedirect;
    private readonly BodyRecorder _bodies;
    private readonly ContentServices _content;
    private readonly TimeProvider _time;
    private readonly Func<string, bool> _upstreamExists;
    private readonly ProxyExchangePool _exchanges;

    public ProxyRequestHandler(
        RouteTableProvider routes,
        UpstreamRegistry upstreams,
        TryEngine engine,
        ProxyTransports transports,
        ScriptBalancerChooser balancer,
        ProxyOptions options,
        AccessLogWriter accessLog,
        GatewayMetrics metrics,
        ScriptRegistry scripts,
        ScriptPhaseRunner phases,
        HostLimitGate hostLimits,
        HttpsRedirect httpsRedirect,
        BodyRecorder bodies,
        ContentServices content,
        TimeProvider time)
    {
        _routes = routes;
        _upstreams = upstreams;
        _engine = engine;
        _transports = transports;
        _balancer = balancer;
        _options = options;
        _accessLog = accessLog;
        _metrics = metrics;
        _scripts = scripts;
        _phases = phases;
        _hostLimits = hostLimits;
        _httpsRedirect = httpsRedirect;
        _bodies = bodies;
        _content = content;
        _time = time;
        _upstreamExists = name => _upstreams.TryGet(name, out _);
        _exchanges = new ProxyExchangePool(time);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var startedAt = _time.GetTimestamp();
        var host = context.Request.Host.Host;
        var clientIp = context.Connection.RemoteIpAddress?.ToString();
        var match = _routes.Current.Resolve(host, _upstreamExists);
        var upstreamName = match.UpstreamName;
        ProxyExchange? exchange = null;
        HttpScriptRequest? scriptRequest = null;
        ContentSession? content = null;
        int? errorCode = null;
        try
        {
            // "https_redirect": plain http goes to https before any limit or script (nginx's return 301 in the server block).
            if (_httpsRedirect.TryAnswer(context, match.Binding))
            {
                return;
            }

            // The host's declarative limit, on the route just resolved, before any script runs.
            if (match.Binding is { Limit: { } limit } binding && await _hostLimits.RefusedAsync(context, binding, limit, clientIp))
            {
                errorCode = GatewayError.RateLimited.Code;
                return;
            }

            // Read once: every phase of this request runs on the generations it started with.
            var scripts = _scripts.Find(host);
            ScriptRequestContext? scriptContext = null;
            if (scripts is not null)
            {
                scriptRequest = new HttpScriptRequest(context, clientIp, _bodies);
                scriptContext = new ScriptRequestContext(scriptRequest, new ScriptVars(), scripts.First!.Log, upstreamName);
                var verdict = await _phases.RunRequestPhasesAsync(context, scripts, scriptContext);
                if (!verdict.Answered && scripts.Content is { } contentScript)
                {
                    content = _content.CreateSession(context, scriptRequest, match.Binding?.Trusted ?? false);
                    verdict = await _phases.RunContentAsync(context, contentScript, scriptContext, content);
                }

                if (verdict.Answered)
                {
                    errorCode = verdict.ErrorCode;
                    return;
                }

                upstreamName = scriptContext.Upstream;
            }

            if (upstreamName is null)
            {
                errorCode = GatewayError.NoRoute.Code;
                await GatewayErrorWriter.WriteAsync(context, GatewayError.NoRoute, host);
                return;
            }

            if (!_upstreams.TryGet(upstreamName, out var upstream))
            {
                errorCode = GatewayError.UpstreamNotFound.Code;
                await GatewayErrorWriter.WriteAsync(context, GatewayError.UpstreamNotFound, upstreamName);
                return;
            }

            exchange = _exchanges.Rent(context, clientIp, upstream, _engine.PolicyFor(upstream.Config), startedAt);
            var call = exchange.Call;
            call.HashKey = HashKeyOf(context, clientIp, upstream.Config.Mode);
            call.IsIdempotent = ProxyExchange.IsIdempotent(context.Request.Method);
            call.Aborted = context.RequestAborted;
            exchange.Scripts = scripts;
            exchange.ScriptContext = scriptContext;

            // The try engine's call, awaited here rather than in a method of its own: under load each
            // async layer that completes later costs the request a state machine box.
            var originalBody = BeginForward(exchange);
            try
            {
                var balancer = scripts?.Balancer;
                var result = await _engine.RunAsync(call, exchange, _transports.For(context, upstream.Config), balancer is null ? null : _balancer);
                errorCode = result.End switch
                {
                    UpstreamCallEnd.Completed => null,
                    UpstreamCallEnd.Answered => result.ErrorCode,
                    _ => await AnswerUnservedAsync(context, call, result.End, balancer),
                };
            }
            finally
            {
                EndForward(exchange, originalBody);
            }
        }
        finally
        {
            if (exchange is not null)
            {
                _metrics.RecordRequest(exchange.Call.Upstream.Name, context.Response.StatusCode);
            }

            if (_accessLog.Enabled)
            {
                // A content script's calls come first, in the order they ended; the proxy's tries (after Next) follow.
                var contentTries = content?.Tries;
                var tries = contentTries;
                if (exchange?.Call.Tries is { Count: > 0 } proxied)
                {
                    tries = contentTries is null ? proxied : [.. contentTries, .. proxied];
                }

                var attempts = (contentTries?.Count ?? 0) + (exchange?.Call.Attempts ?? 0);
                _accessLog.Write(CreateLogEntry(context, clientIp, content?.UpstreamNames ?? upstreamName, tries, attempts, errorCode, startedAt));
            }

            content?.Dispose();
            scriptRequest?.Release();
            if (exchange is not null)
            {
                _exchanges.Return(exchange);
            }
        }
    }

    /// <summary>
    /// Before the first try: the request body is recorded for replay (or the script's recording is
    /// read) and the exchange is found among the request's features. Returns the client's body
    /// stream, which <see cref="EndForward"/> puts back.
    /// </summary>
    private Stream BeginForward(ProxyExchange exchange)
    {
        var context = exchange.Context;
        var originalBody = context.Request.Body;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? context.Request.ContentLength > 0)
        {
            // A script that read the body made its recording already: the proxy reads that one.
            exchange.Body = (exchange.ScriptContext?.Request as HttpScriptRequest)?.RecordedBody?.OpenReader()
                ?? _bodies.Record(originalBody, context.Request.ContentLength).OpenReader();
            exchange.Call.Body = exchange.Body;
            context.Request.Body = exchange.Body;
        }

        context.Features.Set(exchange);
        return originalBody;
    }

    private static void EndForward(ProxyExchange exchange, Stream originalBody)
    {
        var context = exchange.Context;
        context.Features.Set<ProxyExchange?>(null);
        context.Request.Body = originalBody;
        exchange.Body?.Body.Dispose();
    }

    /// <summary>The call ended without a response for the client: the gateway answers; returns its X-Error-Code.</summary>
    private static Task<int?> AnswerUnservedAsync(HttpContext context, UpstreamCall call, UpstreamCallEnd end, ActiveScript? balancer) => end switch
    {
        UpstreamCallEnd.NoPeerChosen when call.Attempts == 0 => FailAsync(context, GatewayError.BalancerChoseNoPeer, $"{balancer!.Key} version {balancer.Version}"),
        UpstreamCallEnd.NoLivePeers when call.Attempts == 0 => FailAsync(context, GatewayError.NoLivePeers, call.Upstream.Name),
        _ => FailAfterTriesAsync(context, call),
    };

    /// <summary>The key a hashing mode hashes (<see cref="BalancingKey"/>); null in the other modes, computed once per request.</summary>
    private static string? HashKeyOf(HttpContext context, string? clientIp, BalancingMode mode) => mode.IsHashing()
        ? BalancingKey.For(
            mode,
            context.Request.Path.Value is { Length: > 0 } path ? path : "/",
            clientIp,
            context.Request.Headers[BalancingKey.HeaderName].ToString())
        : null;

    /// <summary>Every allowed try failed before a response reached the client: answer for the last one.</summary>
    private static Task<int?> FailAfterTriesAsync(HttpContext context, UpstreamCall call)
    {
        var last = call.Tries[^1];
        var reason = last.Failure == TryFailure.Status ? $"status {last.Status}" : last.Reason ?? last.Failure.ToString();
        var detail = $"{call.Attempts} tries to upstream {call.Upstream.Name}, last {last.Address}: {reason}";
        var error = last.Failure switch
        {
            TryFailure.Status => new GatewayError(last.Status * 100_000 + 3, $"upstream answered {last.Status}"),
            TryFailure.Timeout or TryFailure.ConnectTimeout => GatewayError.UpstreamTimedOut,
            _ => GatewayError.UpstreamFailed,
        };
        return FailAsync(context, error, detail);
    }

    private static async Task<int?> FailAsync(HttpContext context, GatewayError error, string? detail)
    {
        context.Features.Set<IForwarderErrorFeature?>(null);
        await GatewayErrorWriter.WriteAsync(context, error, detail);
        return error.Code;
    }

    private AccessLogEntry CreateLogEntry(HttpContext context, string? clientIp, string? upstreamName, List<TryRecord>? tries, int attempts, int? errorCode, long startedAt)
    {
        var request = context.Request;
        var fields = TryLogFields.Of(tries);
        return new AccessLogEntry(
            _time.GetUtcNow(),
            clientIp ?? "-",
            request.Host.Value ?? "-",
            request.Method,
            request.Path.Value + request.QueryString.Value,
            context.Response.StatusCode,
            upstreamName ?? "-",
            fields.Addresses,
            fields.Statuses,
            fields.Times,
            fields.TotalSeconds,
            _time.GetElapsedTime(startedAt).TotalSeconds,
            attempts,
            errorCode,
            request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : "-",
            request.Headers.Referer.ToString() is { Length: > 0 } referer ? referer : "-");
    }
}
