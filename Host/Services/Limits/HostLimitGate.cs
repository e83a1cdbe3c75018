using System.Globalization;
using Slardar.Scriptable.Host.Errors;
using Slardar.Scriptable.Host.Routing;

namespace Slardar.Scriptable.Host.Services.Limits;

/// <summary>
/// A host's declarative limit (scripts.json <c>"limit"</c>), checked by the request handler on the
/// route it already resolved, before any script runs: past the limit the gateway answers 429 with
/// <c>Retry-After</c> (whole seconds, at least 1) and <c>X-Error-Code: 42900001</c>.
/// </summary>
internal sealed class HostLimitGate
{
    private readonly LimitSet _limits;

    public HostLimitGate(LimitSet limits)
    {
        _limits = limits;
    }

    /// <summary>True when the request was refused (the 429 is written); false to go on.</summary>
    /// <param name="clientIp">The client's address as the request formatted it.</param>
    public async ValueTask<bool> RefusedAsync(HttpContext context, HostBinding binding, LimitConfig limit, string? clientIp)
    {
        var decision = await _limits.AcquireAsync(limit, limit.Name, KeyOf(context, limit, binding, clientIp), Timeout.InfiniteTimeSpan);
        if (decision.Allowed)
        {
            return false;
        }

        // Added as the response starts: the error writer clears what was set before it.
        var retryAfter = Math.Max(1, (long)Math.Ceiling(decision.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.RetryAfter = retryAfter;
            return Task.CompletedTask;
        });
        await GatewayErrorWriter.WriteAsync(context, GatewayError.RateLimited, limit.Name);
        return true;
    }

    private static string KeyOf(HttpContext context, LimitConfig limit, HostBinding binding, string? clientIp) => limit.Key switch
    {
        LimitKeyKind.Host => context.Request.Host.Host.ToLowerInvariant(),
        LimitKeyKind.Route => binding.Pattern,
        LimitKeyKind.Header => context.Request.Headers[limit.Header!].ToString() is { Length: > 0 } value ? "h:" + value : "-",
        _ => clientIp ?? "-",
    };
}
