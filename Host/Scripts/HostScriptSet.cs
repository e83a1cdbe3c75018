namespace Slardar.Scriptable.Host.Scripts;

/// <summary>The scripts of one host pattern, one per phase; immutable, swapped whole.</summary>
internal sealed record HostScriptSet(ActiveScript? Rewrite, ActiveScript? Auth, ActiveScript? Balancer)
{
    public static HostScriptSet Empty { get; } = new(null, null, null);

    public bool IsEmpty => Rewrite is null && Auth is null && Balancer is null;

    /// <summary>The phases that have a script, in phase order.</summary>
    public IEnumerable<ActiveScript> Active
    {
        get
        {
            if (Rewrite is not null)
            {
                yield return Rewrite;
            }

            if (Auth is not null)
            {
                yield return Auth;
            }

            if (Balancer is not null)
            {
                yield return Balancer;
            }
        }
    }

    public ActiveScript? this[Slardar.Scriptable.Scripting.ScriptPhase phase] => phase switch
    {
        Slardar.Scriptable.Scripting.ScriptPhase.Rewrite => Rewrite,
        Slardar.Scriptable.Scripting.ScriptPhase.Auth => Auth,
        _ => Balancer,
    };

    public HostScriptSet With(Slardar.Scriptable.Scripting.ScriptPhase phase, ActiveScript? script) => phase switch
    {
        Slardar.Scriptable.Scripting.ScriptPhase.Rewrite => this with { Rewrite = script },
        Slardar.Scriptable.Scripting.ScriptPhase.Auth => this with { Auth = script },
        _ => this with { Balancer = script },
    };
}
