using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Host.Observability;
using Slardar.Scriptable.Host.Observability.Metrics;
using Slardar.Scriptable.Host.Routing;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;
using Yarp.ReverseProxy.Forwarder;

namespace Slardar.Scriptable.Host.Proxy;

/// <summary>
/// The proxy listener's request pipeline: host lookup, then the balancer loop (one turn per try:
/// pick a peer, forward with YARP, classify, feed passive health, decide whether to go on), then the
/// access log. This is balancer_by_lua plus nginx's proxy_next_upstream, in one place.
/// </summary>
internal sealed partial class ProxyRequestHandler
{
    private readonly RouteTableProvider _routes;
    private readonly UpstreamRegistry _upstreams;
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _client;
    private readonly ProxyOptions _options;
    private readonly AccessLogWriter _accessLog;
    private readonly GatewayMetrics _metrics;
    private readonly ScriptRegistry _scripts;
    private readonly ScriptPhaseRunner _phases;
    private readonly TimeProvider _time;
    private readonly ILogger<ProxyRequestHandler> _logger;
    private readonly ForwarderRequestConfig _requestConfig;
    private readonly Func<string, bool> _upstreamExists;

    public ProxyRequestHandler(
        RouteTableProvider routes,
        UpstreamRegistry upstreams,
        IHttpForwarder forwarder,
        HttpMessageInvoker client,
        ProxyOptions options,
        AccessLogWriter accessLog,
        GatewayMetrics metrics,
        ScriptRegistry scripts,
        ScriptPhaseRunner phases,
        TimeProvider time,
        ILogger<ProxyRequestHandler> logger)
    {
        _routes = routes;
        _upstreams = upstreams;
        _forwarder = forwarder;
        _client = client;
        _options = options;
        _accessLog = accessLog;
        _metrics = metrics;
        _scripts = scripts;
        _phases = phases;
        _time = time;
        _logger = logger;
        _requestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = options.ReadTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        _upstreamExists = name => _upstreams.TryGet(name, out _);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var startedAt = _time.GetTimestamp();
        var host = context.Request.Host.Host;
        var match = _routes.Current.Resolve(host, _upstreamExists);
        var upstreamName = match.UpstreamName;
        ProxyExchange? exchange = null;
        int? errorCode = null;
        try
        {
            // Read once: every phase of this request runs on the generations it started with.
            var scripts = _scripts.Find(host);
            ScriptRequestContext? scriptContext = null;
            if (scripts is not null)
            {
                var log = (scripts.Rewrite ?? scripts.Auth ?? scripts.Balancer)!.Log;
                scriptContext = new ScriptRequestContext(new HttpScriptRequest(context), new ScriptVars(), log, upstreamName);
                var verdict = await _phases.RunRequestPhasesAsync(context, scripts, scriptContext);
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

            exchange = new ProxyExchange(context, upstream, RetryPolicy.For(upstream.Config, _options), _time, startedAt)
            {
                Scripts = scripts,
                ScriptContext = scriptContext,
            };
            errorCode = await ForwardAsync(exchange);
        }
        finally
        {
            if (exchange is not null)
            {
                _metrics.RecordRequest(exchange.Upstream.Name, context.Response.StatusCode);
            }

            if (_accessLog.Enabled)
            {
                _accessLog.Write(CreateLogEntry(context, upstreamName, exchange, errorCode, startedAt));
            }
        }
    }

    /// <returns>The X-Error-Code the gateway answered with, if it answered itself.</returns>
    private async ValueTask<int?> ForwardAsync(ProxyExchange exchange)
    {
        var context = exchange.Context;
        var originalBody = context.Request.Body;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? context.Request.ContentLength > 0)
        {
            exchange.Body = new ReplayableRequestBody(originalBody, _options.BodyMemoryBufferBytes, _options.BodyReplayLimitBytes, _options.BodyTempFolder);
            context.Request.Body = exchange.Body;
        }

        var transformer = new ProxyTransformer(exchange);
        var selection = new PeerSelection(exchange.TriedPeers, HashKeyOf(context, exchange.Upstream.Config.Mode));
        var balancer = exchange.Scripts?.Balancer;
        TryFailureInfo? lastFailure = null;
        try
        {
            while (true)
            {
                PeerState? peer = null;
                ScriptCheckups? scriptCheckups = null;
                if (balancer is not null)
                {
                    // balancer_by_lua: one script turn per try.
                    scriptCheckups = new ScriptCheckups(_upstreams, exchange.TriedPeers);
                    var turn = new BalancerTurn(exchange.Upstream.Name, scriptCheckups, exchange.Attempts, lastFailure);
                    var verdict = await _phases.RunTurnAsync(context, balancer, exchange.ScriptContext!, turn);
                    if (verdict.Answered)
                    {
                        scriptCheckups.ReleaseAll();
                        return verdict.ErrorCode;
                    }

                    exchange.AllowMoreTries(turn.MoreTries ?? 0);
                    if (turn.PeerSet && turn.Peer is null)
                    {
                        scriptCheckups.ReleaseAll();
                        return exchange.Attempts == 0
                            ? await FailAsync(exchange, GatewayError.BalancerChoseNoPeer, $"{balancer.Key} version {balancer.Version}")
                            : await FailAfterTriesAsync(exchange);
                    }

                    if (turn.PeerSet)
                    {
                        peer = scriptCheckups.Resolve(turn.Peer!, exchange.Upstream);
                    }
                    else
                    {
                        // The script chose nothing: the default selection serves this turn.
                        scriptCheckups.ReleaseAll();
                        scriptCheckups = null;
                    }
                }

                if (peer is null)
                {
                    peer = exchange.Upstream.SelectPeer(selection);
                    if (peer is null)
                    {
                        return exchange.Attempts == 0
                            ? await FailAsync(exchange, GatewayError.NoLivePeers, exchange.Upstream.Name)
                            : await FailAfterTriesAsync(exchange);
                    }
                }

                exchange.BeginTry(peer);
                using var sendWatch = exchange.Body is null ? null : new SendTimeoutWatch(_options.SendTimeout, _time);
                if (exchange.Body is not null)
                {
                    exchange.Body.Watch = sendWatch;
                }

                var tryStartedAt = _time.GetTimestamp();
                ForwarderError error;
                try
                {
                    error = await _forwarder.SendAsync(context, peer.DestinationPrefix, _client, _requestConfig, transformer, sendWatch?.Token ?? CancellationToken.None);
                }
                catch
                {
                    // Every selected peer gets exactly one Feedback or Release, or its in-flight count leaks.
                    if (scriptCheckups is null)
                    {
                        exchange.Upstream.Release(peer);
                    }
                    else
                    {
                        scriptCheckups.ReleaseAll();
                    }

                    throw;
                }

                var failure = TryClassifier.Classify(error, context, exchange, sendWatch);
                var status = exchange.PeerStatus != 0 && failure is TryFailure.None or TryFailure.Status ? exchange.PeerStatus : context.Response.StatusCode;
                var elapsed = _time.GetElapsedTime(tryStartedAt);
                exchange.Tries.Add(new TryRecord(peer.Config.Address, status, elapsed, failure));

                // Latency for metrics and ewma is time to response headers, so a long download is not "slow".
                var latency = exchange.ResponseHeadersAt != 0 ? _time.GetElapsedTime(tryStartedAt, exchange.ResponseHeadersAt) : elapsed;
                _metrics.RecordTry(exchange.Upstream.Name, peer.Address, OutcomeOf(failure), latency);

                if (TryClassifier.CountsAgainstPeer(failure, exchange))
                {
                    Log.TryFailed(_logger, exchange.Upstream.Name, peer.Config.Address, failure, status, context.GetForwarderErrorFeature()?.Exception?.Message);
                }

                if (scriptCheckups is not null)
                {
                    // The balancer script owns passive health (it hears of this try as LastFailure next turn).
                    scriptCheckups.ReleaseAll();
                    lastFailure = failure is TryFailure.None
                        ? null
                        : new TryFailureInfo(TryClassifier.CountsAgainstPeer(failure, exchange) ? FailureKind.Failed : FailureKind.Next, status, new Peer(peer.Host, peer.Port));
                }
                else if (failure == TryFailure.Client || exchange.FailureReported)
                {
                    // The client went away: that says nothing about the peer. Or the failure was
                    // recorded before the response went out (ProxyExchange.ReportFailedStatusEarly).
                    exchange.Upstream.Release(peer);
                }
                else
                {
                    // Only a status the peer sent feeds outlier detection; without one, a failed try is "no answer".
                    var peerStatus = failure is TryFailure.None or TryFailure.Status or TryFailure.AfterResponseStarted ? status : 0;
                    exchange.Upstream.Feedback(peer, TryClassifier.CountsAgainstPeer(failure, exchange), peerStatus, latency);
                }

                if (failure is TryFailure.None or TryFailure.Client or TryFailure.AfterResponseStarted || (failure == TryFailure.Status && !exchange.HeldBack))
                {
                    // Done: a good answer, or one that already went to the client, or the client is gone.
                    return null;
                }

                var nothingSent = failure is TryFailure.ConnectError or TryFailure.ConnectTimeout;
                if (!exchange.CanTryAgain(TryClassifier.ConditionOf(failure, exchange.PeerStatus), requestMayHaveReachedPeer: !nothingSent))
                {
                    return await FailAfterTriesAsync(exchange);
                }

                context.Response.Clear();
                context.Features.Set<IForwarderErrorFeature?>(null);
            }
        }
        finally
        {
            context.Request.Body = originalBody;
            exchange.Body?.Dispose();
        }
    }

    /// <summary>The key a hashing mode hashes (<see cref="BalancingKey"/>); null in the other modes, computed once per request.</summary>
    private static string? HashKeyOf(HttpContext context, BalancingMode mode) => mode.IsHashing()
        ? BalancingKey.For(
            mode,
            context.Request.Path.Value is { Length: > 0 } path ? path : "/",
            context.Connection.RemoteIpAddress?.ToString(),
            context.Request.Headers[BalancingKey.HeaderName].ToString())
        : null;

    /// <summary>Every allowed try failed before a response reached the client: answer for the last one.</summary>
    private static Task<int?> FailAfterTriesAsync(ProxyExchange exchange)
    {
        var last = exchange.Tries[^1];
        var detail = $"{exchange.Attempts} tries to upstream {exchange.Upstream.Name}, last {last.Address}: {Describe(exchange, last)}";
        var error = last.Failure switch
        {
            TryFailure.Status => new GatewayError(last.Status * 100_000 + 3, $"upstream answered {last.Status}"),
            TryFailure.Timeout or TryFailure.ConnectTimeout => GatewayError.UpstreamTimedOut,
            _ => GatewayError.UpstreamFailed,
        };
        return FailAsync(exchange, error, detail);
    }

    private static async Task<int?> FailAsync(ProxyExchange exchange, GatewayError error, string? detail)
    {
        exchange.Context.Features.Set<IForwarderErrorFeature?>(null);
        await GatewayErrorWriter.WriteAsync(exchange.Context, error, detail);
        return error.Code;
    }

    private static string Describe(ProxyExchange exchange, TryRecord last) => last.Failure switch
    {
        TryFailure.Status => $"status {last.Status}",
        _ => exchange.Context.GetForwarderErrorFeature()?.Exception?.GetBaseException().Message ?? last.Failure.ToString(),
    };

    private AccessLogEntry CreateLogEntry(HttpContext context, string? upstreamName, ProxyExchange? exchange, int? errorCode, long startedAt)
    {
        var request = context.Request;
        string addr = "-", statuses = "-", times = "-";
        var upstreamTime = 0.0;
        if (exchange is { Tries.Count: > 0 })
        {
            var a = new StringBuilder();
            var s = new StringBuilder();
            var t = new StringBuilder();
            foreach (var record in exchange.Tries)
            {
                var separator = a.Length == 0 ? string.Empty : ", ";
                a.Append(separator).Append(record.Address);
                s.Append(separator).Append(record.Status.ToString(CultureInfo.InvariantCulture));
                t.Append(separator).Append(record.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture));
                upstreamTime += record.Elapsed.TotalSeconds;
            }

            (addr, statuses, times) = (a.ToString(), s.ToString(), t.ToString());
        }

        return new AccessLogEntry(
            _time.GetUtcNow(),
            context.Connection.RemoteIpAddress?.ToString() ?? "-",
            request.Host.Value ?? "-",
            request.Method,
            request.Path.Value + request.QueryString.Value,
            context.Response.StatusCode,
            upstreamName ?? "-",
            addr,
            statuses,
            times,
            upstreamTime,
            _time.GetElapsedTime(startedAt).TotalSeconds,
            exchange?.Attempts ?? 0,
            errorCode,
            request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : "-",
            request.Headers.Referer.ToString() is { Length: > 0 } referer ? referer : "-");
    }

    private static string OutcomeOf(TryFailure failure) => failure switch
    {
        TryFailure.None => TryOutcome.Ok,
        TryFailure.Timeout or TryFailure.ConnectTimeout => TryOutcome.Timeout,
        TryFailure.Status => TryOutcome.Status,
        TryFailure.Client => TryOutcome.Client,
        _ => TryOutcome.Error,
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Try to {Upstream} peer {Peer} failed ({Failure}, status {Status}): {Reason}")]
        public static partial void TryFailed(ILogger logger, string upstream, string peer, TryFailure failure, int status, string? reason);
    }
}
