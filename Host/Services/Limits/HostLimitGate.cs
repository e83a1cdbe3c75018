using System.Globalization;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Errors;
using Slardar.Scriptable.Host.Proxy;
using Slardar.Scriptable.Host.Routing;

namespace Slardar.Scriptable.Host.Services.Limits;

/// <summary>
/// A host's declarative limit (scripts.json <c>"limit"</c>), checked in the proxy pipeline ahead of
/// the request handler, so before any script runs: past the limit the gateway answers 429 with
/// <c>Retry-After</c> (whole seconds, at least 1) and <c>X-Error-Code: 42900001</c>.
/// </summary>
internal sealed class HostLimitGate
{
    private readonly RouteTableProvider _routes;
    private readonly LimitSet _limits;
    private readonly Func<string, bool> _upstreamExists;

    public HostLimitGate(RouteTableProvider routes, UpstreamRegistry upstreams, LimitSet limits)
    {
        _routes = routes;
        _limits = limits;
        _upstreamExists = name => upstreams.TryGet(name, out _);
    }

    // Not async on the way through: a host without a limit (most) costs no state machine per request.
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var match = _routes.Current.Resolve(context.Request.Host.Host, _upstreamExists);
        return match.Binding?.Limit is { } limit ? LimitAsync(context, next, limit, match.Binding) : next(context);
    }

    private async Task LimitAsync(HttpContext context, RequestDelegate next, LimitConfig limit, HostBinding binding)
    {
        var decision = await _limits.AcquireAsync(limit, limit.Name, KeyOf(context, limit, binding), Timeout.InfiniteTimeSpan);
        if (decision.Allowed)
        {
            await next(context);
            return;
        }

        // Added as the response starts: the error writer clears what was set before it.
        var retryAfter = Math.Max(1, (long)Math.Ceiling(decision.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.RetryAfter = retryAfter;
            return Task.CompletedTask;
        });
        await GatewayErrorWriter.WriteAsync(context, GatewayError.RateLimited, limit.Name);
    }

    private static string KeyOf(HttpContext context, LimitConfig limit, HostBinding binding) => limit.Key switch
    {
        LimitKeyKind.Host => context.Request.Host.Host.ToLowerInvariant(),
        LimitKeyKind.Route => binding.Pattern,
        LimitKeyKind.Header => context.Request.Headers[limit.Header!].ToString() is { Length: > 0 } value ? "h:" + value : "-",
        _ => context.Connection.RemoteIpAddress?.ToString() ?? "-",
    };
}
