using System.Runtime.CompilerServices;
using Slardar.Scriptable.Host.Content;
using Slardar.Scriptable.Host.Errors;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// Runs a request's rewrite and auth scripts, its content script and a balancer's turns, and turns
/// their outcome into what the proxy does next: go on (perhaps to another upstream), answer with the
/// script's Exit or Respond, or fail the request with a 5xx (and an error id when the script threw or
/// ran out of budget; the proxy's codes when an upstream failed a content script). Auth fails
/// closed, and so does a quarantined script: its phase is never skipped, the request is refused (503).
/// </summary>
internal sealed partial class ScriptPhaseRunner
{
    private readonly ILogger<ScriptPhaseRunner> _logger;

    public ScriptPhaseRunner(ILogger<ScriptPhaseRunner> logger)
    {
        _logger = logger;
    }

    /// <summary>Runs the host's request-stage phases in table order until one answers the request.</summary>
    /// <returns><see cref="ScriptVerdict.Continue"/> to go on; else how the request was answered (by an Exit or with an error).</returns>
    /// <remarks>ValueTask: scripts that complete synchronously (most) cost no task allocation per phase.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ScriptVerdict> RunRequestPhasesAsync(HttpContext context, HostScriptSet scripts, ScriptRequestContext scriptContext)
    {
        foreach (var phase in ScriptPhases.RequestStage)
        {
            var verdict = await RunAsync(context, scripts[phase.Phase], scriptContext);
            if (verdict.Answered)
            {
                return verdict;
            }
        }

        return ScriptVerdict.Continue;
    }

    /// <summary>
    /// The host's content script, which produces the response (content_by_lua): its <c>Respond</c> is
    /// streamed to the client, an answer of its own through <c>Response</c> stands, <c>Exit</c> answers
    /// as in every phase, and <see cref="ScriptVerdict.Continue"/> (Next, nothing answered) hands the
    /// request to the proxy.
    /// </summary>
    public ValueTask<ScriptVerdict> RunContentAsync(HttpContext context, ActiveScript content, ScriptRequestContext scriptContext, ContentSession session)
    {
        scriptContext.Content = session;
        return RunAsync(context, content, scriptContext);
    }

    /// <summary>One balancer turn: <see cref="ScriptVerdict.Continue"/> when the script completed without Exit (its choices are in <paramref name="turn"/>).</summary>
    public ValueTask<ScriptVerdict> RunTurnAsync(HttpContext context, ActiveScript balancer, ScriptRequestContext scriptContext, BalancerTurn turn) =>
        RunAsync(context, balancer, scriptContext, turn);

    // Every phase goes this one way: a quarantined script refuses, else it runs and its outcome applies.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ScriptVerdict> RunAsync(HttpContext context, ActiveScript? script, ScriptRequestContext scriptContext, BalancerTurn? turn = null)
    {
        if (script is null)
        {
            return ScriptVerdict.Continue;
        }

        if (script.Quarantine.IsQuarantined)
        {
            return await RefuseAsync(context, script);
        }

        // Phases run one after another: the shared context's log is this phase's while it runs.
        scriptContext.Log = script.Log;
        var outcome = await (turn is null
            ? script.Generation.RunAsync(scriptContext, script.Limits, context.RequestAborted)
            : script.Generation.RunAsync(scriptContext, turn, script.Limits, context.RequestAborted));
        return await ApplyAsync(context, script, scriptContext, outcome);
    }

    /// <summary>Answers for a script that did not complete, or that exited; null verdict error means it exited.</summary>
    private async ValueTask<ScriptVerdict> ApplyAsync(HttpContext context, ActiveScript script, ScriptRequestContext scriptContext, ScriptOutcome outcome)
    {
        if (outcome.Status == ScriptRunStatus.Completed)
        {
            if (outcome.Result.Relayed is { } relayed)
            {
                return await RelayAsync(context, script, relayed);
            }

            if (!outcome.Result.IsExit)
            {
                // A content script that made its own answer (Response) and fell off its end has answered.
                return scriptContext.Content is ContentSession { AnsweredItself: true } ? new ScriptVerdict(true, null, null) : ScriptVerdict.Continue;
            }

            if (context.Response.HasStarted)
            {
                // A content script's own answer had started: an Exit cannot replace it.
                Log.RespondAfterStart(_logger, script.Key.Pattern, script.Key.PhaseName, script.Version);
                context.Abort();
                return new ScriptVerdict(true, GatewayError.ScriptFailed, GatewayError.ScriptFailed.Code);
            }

            try
            {
                await WriteExitAsync(context, outcome.Result);
                return new ScriptVerdict(true, null, outcome.Result.ErrorCode);
            }
            catch (InvalidOperationException ex) when (!context.Response.HasStarted)
            {
                // Exit checks what it is given; should a value still break the response (the server
                // refuses a header), the client gets the usual script error, not a bare 500.
                context.Response.Clear();
                outcome = new ScriptOutcome(ScriptRunStatus.Faulted, default, new ScriptFailure(ex.GetType().FullName!, ex.Message, null), outcome.Elapsed);
            }
        }

        if (outcome.Status == ScriptRunStatus.Canceled)
        {
            return new ScriptVerdict(true, null, null);
        }

        if (outcome.Status == ScriptRunStatus.NotStarted)
        {
            // The machine was too busy to start the script: say so (503, retry later); the script is not at fault.
            Log.ThreadsBusy(_logger, script.Key.Pattern, script.Key.PhaseName, script.Version, outcome.Failure?.Message);
            await GatewayErrorWriter.WriteAsync(context, GatewayError.ScriptThreadsBusy, $"{script.Key} version {script.Version}");
            return new ScriptVerdict(true, GatewayError.ScriptThreadsBusy, GatewayError.ScriptThreadsBusy.Code);
        }

        if (outcome.Status is ScriptRunStatus.TimedOut or ScriptRunStatus.UpstreamFailed)
        {
            // An upstream's slowness or failure, answered as the proxy answers it: not the script's fault.
            var upstreamError = outcome.Status == ScriptRunStatus.TimedOut ? GatewayError.ContentTimedOut
                : outcome.Failure is { UpstreamTimedOut: true } ? GatewayError.UpstreamTimedOut
                : GatewayError.UpstreamFailed;
            Log.ContentUpstreamFailed(_logger, script.Key.Pattern, script.Key.PhaseName, script.Version, outcome.Status, outcome.Failure?.Line, outcome.Failure?.Message);
            return await FailAsync(context, upstreamError, outcome.Failure?.Message);
        }

        var error = outcome.Status == ScriptRunStatus.BudgetExceeded ? GatewayError.ScriptBudgetExceeded : GatewayError.ScriptFailed;
        var errorId = ScriptFailureRecorder.Record(_logger, script, outcome);
        return await FailAsync(context, error, $"error id {errorId}");
    }

    // A content script may have started its own response before it failed: the client then sees the
    // connection end early (a truncated answer, never a second one).
    private static async ValueTask<ScriptVerdict> FailAsync(HttpContext context, GatewayError error, string? detail)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return new ScriptVerdict(true, error, error.Code);
        }

        await GatewayErrorWriter.WriteAsync(context, error, detail);
        return new ScriptVerdict(true, error, error.Code);
    }

    private async ValueTask<ScriptVerdict> RelayAsync(HttpContext context, ActiveScript script, Scripting.Api.UpstreamResponse relayed)
    {
        if (context.Response.HasStarted)
        {
            // Respond after writing an answer of its own: the script's error, not a second response.
            Log.RespondAfterStart(_logger, script.Key.Pattern, script.Key.PhaseName, script.Version);
            context.Abort();
            return new ScriptVerdict(true, GatewayError.ScriptFailed, GatewayError.ScriptFailed.Code);
        }

        try
        {
            context.Response.Clear();
            await ContentRelay.RelayAsync(context, relayed);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or OperationCanceledException or InvalidOperationException or System.Net.Http.HttpRequestException)
        {
            // The upstream or the client failed mid-stream: nothing else can be sent now.
            Log.RelayFailed(_logger, script.Key.Pattern, script.Key.PhaseName, script.Version, ex.Message);
            if (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                return await FailAsync(context, ex is TimeoutException ? GatewayError.UpstreamTimedOut : GatewayError.UpstreamFailed, ex.Message);
            }

            context.Abort();
        }

        return new ScriptVerdict(true, null, null);
    }

    private static async ValueTask<ScriptVerdict> RefuseAsync(HttpContext context, ActiveScript script)
    {
        var error = GatewayError.ScriptQuarantined;
        await GatewayErrorWriter.WriteAsync(context, error, $"{script.Key} version {script.Version}");
        return new ScriptVerdict(true, error, error.Code);
    }

    private static Task WriteExitAsync(HttpContext context, ScriptResult result)
    {
        var response = context.Response;
        response.StatusCode = result.Status;
        if (result.ErrorCode is { } code)
        {
            response.Headers[GatewayErrorWriter.ErrorCodeHeader] = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (result.Body is null)
        {
            return Task.CompletedTask;
        }

        response.ContentType = result.ContentType;
        return response.WriteAsync(result.Body, context.RequestAborted);
    }

    private static partial class Log
    {
        [LoggerMessage(3, LogLevel.Warning, "Script {Host}/{Phase} version {Version} did not run, answered 503: {Reason}")]
        public static partial void ThreadsBusy(ILogger logger, string host, string phase, int version, string? reason);

        [LoggerMessage(4, LogLevel.Warning, "Script {Host}/{Phase} version {Version} {Status} at line {Line}: {Reason}")]
        public static partial void ContentUpstreamFailed(ILogger logger, string host, string phase, int version, ScriptRunStatus status, int? line, string? reason);

        [LoggerMessage(5, LogLevel.Warning, "Script {Host}/{Phase} version {Version}: streaming the upstream's response to the client failed: {Reason}")]
        public static partial void RelayFailed(ILogger logger, string host, string phase, int version, string reason);

        [LoggerMessage(6, LogLevel.Error, "Script {Host}/{Phase} version {Version} answered (Respond or Exit) after writing an answer of its own; the connection was closed")]
        public static partial void RespondAfterStart(ILogger logger, string host, string phase, int version);
    }
}
