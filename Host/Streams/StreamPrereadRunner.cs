using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// Runs a stream listener's preread script (<c>stream:&lt;port&gt;/preread</c>) for one session, on
/// the same script threads, budget, watchdog and quarantine as the HTTP phases, and turns its
/// outcome into the session's route: go on (perhaps to another upstream or peer), refused (its
/// <c>Exit</c>, 403 by <c>Refuse()</c>), or failed (500, logged with an error id; a budget overrun
/// counts towards quarantine, and a quarantined script refuses every session, 503: fails closed).
/// </summary>
internal sealed partial class StreamPrereadRunner
{
    private readonly ScriptRegistry _scripts;
    private readonly ILogger<StreamPrereadRunner> _logger;

    public StreamPrereadRunner(ScriptRegistry scripts, ILogger<StreamPrereadRunner> logger)
    {
        _scripts = scripts;
        _logger = logger;
    }

    /// <summary>The listener's preread script now serving, if it has one.</summary>
    public ActiveScript? Find(StreamListenerConfig config) =>
        config.EndPoint.Port == 0 ? null : _scripts.Get(new ScriptKey(config.ScriptPattern, ScriptPhase.Preread));

    public async ValueTask<StreamPrereadDecision> RunAsync(ActiveScript script, StreamSession session, StreamListenerConfig config, StreamPrereadBytes preread)
    {
        if (script.Quarantine.IsQuarantined)
        {
            return new StreamPrereadDecision(StreamStatus.Unavailable, config.Upstream);
        }

        var state = new PrereadState(config.EndPoint.Port, session.ClientAddress, preread.Bytes, preread.Sni);
        var context = new ScriptRequestContext(new StreamScriptRequest(session.ClientAddress, preread.Sni), new ScriptVars(), script.Log, config.Upstream)
        {
            Preread = state,
        };
        var outcome = await script.Generation.RunAsync(context, script.Limits, session.Aborted).ConfigureAwait(false);
        switch (outcome.Status)
        {
            case ScriptRunStatus.Completed when !outcome.Result.IsExit:
                return new StreamPrereadDecision(0, context.Upstream, state.Peer, state.HashKey);
            case ScriptRunStatus.Completed:
                return new StreamPrereadDecision(outcome.Result.Status is >= 400 and <= 599 ? outcome.Result.Status : StreamStatus.Refused, context.Upstream);
            case ScriptRunStatus.Canceled:
                return new StreamPrereadDecision(StreamStatus.ClientClosed, context.Upstream);
            case ScriptRunStatus.NotStarted:
                Log.ThreadsBusy(_logger, script.Key.Pattern, script.Version, outcome.Failure?.Message);
                return new StreamPrereadDecision(StreamStatus.Unavailable, context.Upstream);
        }

        var errorId = Guid.NewGuid().ToString("N")[..12];
        Log.ScriptFailed(_logger, errorId, script.Key.Pattern, script.Version, outcome.Status, outcome.Failure?.Line, outcome.Failure?.ToString());
        if (outcome.Status == ScriptRunStatus.BudgetExceeded)
        {
            var reason = (outcome.Runaway ? "runaway: " : string.Empty) + (outcome.Failure?.Message ?? "budget exceeded");
            if (script.Quarantine.RecordOverrun(reason))
            {
                Log.Quarantined(_logger, script.Key.Pattern, script.Version, script.Quarantine.State!.Failures, reason);
            }
        }

        return new StreamPrereadDecision(StreamStatus.ScriptFailed, context.Upstream);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Script error {ErrorId}: {Listener}/preread version {Version} {Status} at line {Line}: {Failure}; the session is closed (500)")]
        public static partial void ScriptFailed(ILogger logger, string errorId, string listener, int version, ScriptRunStatus status, int? line, string? failure);

        [LoggerMessage(2, LogLevel.Error, "Script {Listener}/preread version {Version} quarantined after {Failures} budget overruns (last: {Reason}); its sessions are closed (503) until a new version or DELETE /script/{Listener}/preread/quarantine")]
        public static partial void Quarantined(ILogger logger, string listener, int version, int failures, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Script {Listener}/preread version {Version} did not run, the session is closed (503): {Reason}")]
        public static partial void ThreadsBusy(ILogger logger, string listener, int version, string? reason);
    }
}
