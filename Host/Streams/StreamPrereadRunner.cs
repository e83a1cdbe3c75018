using Slardar.Scriptable.Host.Checkups;
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
/// The script gets the balancer's <c>Checkups</c>, read-only; unless the listener is <c>trusted</c>, a peer it
/// names must be a server of a configured upstream (<c>SetCurrentPeer</c> throws otherwise).
/// </summary>
internal sealed partial class StreamPrereadRunner
{
    private readonly ScriptRegistry _scripts;
    private readonly UpstreamRegistry _upstreams;
    private readonly ILogger<StreamPrereadRunner> _logger;

    public StreamPrereadRunner(ScriptRegistry scripts, UpstreamRegistry upstreams, ILogger<StreamPrereadRunner> logger)
    {
        _scripts = scripts;
        _upstreams = upstreams;
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

        // The balancer's Checkups as a view: what the script selects is held in flight only while it
        // runs; health is the gateway's to record (the connect of the session).
        var checkups = new ScriptCheckups(_upstreams, [], readOnly: true);
        var state = new PrereadState(config.EndPoint.Port, session.ClientAddress, preread.Bytes, preread.Sni)
        {
            Checkups = checkups,
            RefusePeer = config.Trusted ? null : RefuseUnlisted,
        };
        var context = new ScriptRequestContext(new StreamScriptRequest(session.ClientAddress, preread.Sni), new ScriptVars(), script.Log, config.Upstream)
        {
            Preread = state,
        };
        ScriptOutcome outcome;
        try
        {
            outcome = await script.Generation.RunAsync(context, script.Limits, session.Aborted).ConfigureAwait(false);
        }
        finally
        {
            checkups.ReleaseAll();
        }

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

        // Logged and counted as every phase's failure is; the session is closed (500).
        ScriptFailureRecorder.Record(_logger, script, outcome);
        return new StreamPrereadDecision(StreamStatus.ScriptFailed, context.Upstream);
    }

    // As a content script's calls: an untrusted script reaches only servers of configured upstreams.
    private string? RefuseUnlisted(Peer peer) => _upstreams.FindListing(peer.Host, peer.Port) is null
        ? $"{peer} is not a server of any configured upstream: preread scripts connect to upstream peers only (POST /upstream/<name> to add one, or mark the listener \"trusted\")"
        : null;

    private static partial class Log
    {
        [LoggerMessage(3, LogLevel.Warning, "Script {Listener}/preread version {Version} did not run, the session is closed (503): {Reason}")]
        public static partial void ThreadsBusy(ILogger logger, string listener, int version, string? reason);
    }
}
