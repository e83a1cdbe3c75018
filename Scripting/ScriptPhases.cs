using System.Collections.Immutable;

namespace Slardar.Scriptable.Scripting;

/// <summary>
/// The one table of script phases, in the order they run. The key parser, the host script set,
/// scripts.json bindings, the compiler's template, the loader and the admin API all read it; a new
/// phase is a new row here (and its base class in <c>Api</c>).
/// </summary>
internal static class ScriptPhases
{
    /// <summary>Every phase, in run order; <c>All[(int)phase]</c> is that phase's row.</summary>
    public static ImmutableArray<ScriptPhaseModel> All { get; } =
    [
        new(ScriptPhase.Rewrite, "rewrite", ScriptStage.Request, IsAsync: true, "RewriteScript", "first, before routing is final: may change the request, pick the upstream or answer"),
        new(ScriptPhase.Auth, "auth", ScriptStage.Request, IsAsync: true, "AuthScript", "after rewrite: allows or denies the request (fails closed)"),
        new(ScriptPhase.Content, "content", ScriptStage.Content, IsAsync: true, "ContentScript", "after rewrite and auth: produces the response (content_by_lua), calling upstreams with streaming and retries; Next hands the request to the proxy"),
        new(ScriptPhase.Balancer, "balancer", ScriptStage.Try, IsAsync: false, "BalancerScript", "once per try, synchronously: chooses the peer (balancer_by_lua)"),
        new(ScriptPhase.Preread, "preread", ScriptStage.Connection, IsAsync: true, "PrereadScript", "once per TCP session of a stream listener (stream:<port>), before its connect: sees the first bytes and the TLS SNI, chooses the upstream or peer, or refuses"),
    ];

    /// <summary>The phase a script has when none is named (Slardar's one script per host).</summary>
    public static ScriptPhaseModel Default => All[0];

    /// <summary>"rewrite, auth, content, balancer, preread": for error messages that list the valid names.</summary>
    public static string Names { get; } = string.Join(", ", All.Select(p => p.Name));

    /// <summary>The phases of <see cref="ScriptStage.Request"/>, in run order.</summary>
    public static ImmutableArray<ScriptPhaseModel> RequestStage { get; } = All.Where(p => p.Stage == ScriptStage.Request).ToImmutableArray();

    /// <summary>The phases of an HTTP host (every stage but <see cref="ScriptStage.Connection"/>), in run order.</summary>
    public static ImmutableArray<ScriptPhaseModel> HostPhases { get; } = All.Where(p => p.Stage != ScriptStage.Connection).ToImmutableArray();

    /// <summary>"rewrite, auth, content, balancer": the phases an HTTP host may have.</summary>
    public static string HostPhaseNames { get; } = string.Join(", ", HostPhases.Select(p => p.Name));

    public static ScriptPhaseModel Of(ScriptPhase phase) => All[(int)phase];

    /// <summary>Finds a phase by name, case-insensitively.</summary>
    public static bool TryParse(string? name, out ScriptPhaseModel model)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                model = candidate;
                return true;
            }
        }

        model = null!;
        return false;
    }
}
