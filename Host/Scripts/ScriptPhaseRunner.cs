using System.Runtime.CompilerServices;
using Slardar.Scriptable.Host.Errors;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// Runs a request's rewrite and auth scripts (and a balancer's turns) and turns their outcome into
/// what the proxy does next: go on (perhaps to another upstream), answer with the script's Exit, or
/// fail the request with a 5xx and an error id when the script threw or ran out of budget. Auth fails
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
        return await ApplyAsync(context, script, outcome);
    }

    /// <summary>Answers for a script that did not complete, or that exited; null verdict error means it exited.</summary>
    private async ValueTask<ScriptVerdict> ApplyAsync(HttpContext context, ActiveScript script, ScriptOutcome outcome)
    {
        if (outcome.Status == ScriptRunStatus.Completed)
        {
            if (!outcome.Result.IsExit)
            {
                return ScriptVerdict.Continue;
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

        var error = outcome.Status == ScriptRunStatus.BudgetExceeded ? GatewayError.ScriptBudgetExceeded : GatewayError.ScriptFailed;
        var errorId = Guid.NewGuid().ToString("N")[..12];
        Log.ScriptFailed(_logger, errorId, script.Key.Pattern, script.Key.PhaseName, script.Version, outcome.Status, outcome.Failure?.Line, outcome.Failure?.ToString());
        if (outcome.Status == ScriptRunStatus.BudgetExceeded)
        {
            var reason = (outcome.Runaway ? "runaway: " : string.Empty) + (outcome.Failure?.Message ?? "budget exceeded");
            if (script.Quarantine.RecordOverrun(reason))
            {
                Log.Quarantined(_logger, script.Key.Pattern, script.Key.PhaseName, script.Version, script.Quarantine.State!.Failures, reason);
            }
        }

        await GatewayErrorWriter.WriteAsync(context, error, $"error id {errorId}");
        return new ScriptVerdict(true, error, error.Code);
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
        [LoggerMessage(1, LogLevel.Error, "Script error {ErrorId}: {Host}/{Phase} version {Version} {Status} at line {Line}: {Failure}")]
        public static partial void ScriptFailed(ILogger logger, string errorId, string host, string phase, int version, ScriptRunStatus status, int? line, string? failure);

        [LoggerMessage(2, LogLevel.Error, "Script {Host}/{Phase} version {Version} quarantined after {Failures} budget overruns (last: {Reason}); its host answers 503 until a new version or DELETE /script/{Host}/{Phase}/quarantine")]
        public static partial void Quarantined(ILogger logger, string host, string phase, int version, int failures, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Script {Host}/{Phase} version {Version} did not run, answered 503: {Reason}")]
        public static partial void ThreadsBusy(ILogger logger, string host, string phase, int version, string? reason);
    }
}
