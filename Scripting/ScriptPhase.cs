namespace Slardar.Scriptable.Scripting;

/// <summary>Where in a request a script runs. Each value is a row of <see cref="ScriptPhases"/>, which says the rest.</summary>
internal enum ScriptPhase
{
    Rewrite,
    Auth,
    Content,
    Balancer,
    Preread,
}
