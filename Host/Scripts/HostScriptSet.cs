using System.Collections.Immutable;
using Slardar.Scriptable.Scripting;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>The scripts of one host pattern, one slot per row of <see cref="ScriptPhases"/>; immutable, swapped whole.</summary>
internal sealed class HostScriptSet
{
    private readonly ImmutableArray<ActiveScript?> _byPhase;

    private HostScriptSet(ImmutableArray<ActiveScript?> byPhase)
    {
        _byPhase = byPhase;
    }

    public static HostScriptSet Empty { get; } = new(ImmutableArray.CreateRange(Enumerable.Repeat<ActiveScript?>(null, ScriptPhases.All.Length)));

    public ActiveScript? Rewrite => _byPhase[(int)ScriptPhase.Rewrite];

    public ActiveScript? Auth => _byPhase[(int)ScriptPhase.Auth];

    public ActiveScript? Content => _byPhase[(int)ScriptPhase.Content];

    public ActiveScript? Balancer => _byPhase[(int)ScriptPhase.Balancer];

    public bool IsEmpty => _byPhase.All(static s => s is null);

    /// <summary>The phases that have a script, in phase order.</summary>
    public IEnumerable<ActiveScript> Active => _byPhase.Where(static s => s is not null)!;

    /// <summary>The first script in phase order; its log adapter serves the request's shared script context.</summary>
    public ActiveScript? First => _byPhase.FirstOrDefault(static s => s is not null);

    public ActiveScript? this[ScriptPhase phase] => _byPhase[(int)phase];

    public HostScriptSet With(ScriptPhase phase, ActiveScript? script) => new(_byPhase.SetItem((int)phase, script));
}
