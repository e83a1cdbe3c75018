namespace Slardar.Scriptable.Scripting;

/// <summary>Where in a request a script runs; each phase has its own base class in <c>Api</c>.</summary>
internal enum ScriptPhase
{
    /// <summary>Before routing is final: may change the request, pick the upstream, or answer at once.</summary>
    Rewrite,

    /// <summary>After rewrite: allows or denies the request; fails closed.</summary>
    Auth,

    /// <summary>Once per try, synchronously: chooses the peer (balancer_by_lua).</summary>
    Balancer,
}
