namespace Slardar.Scriptable.Host.Scripts;

/// <summary>Why and since when a script version is quarantined.</summary>
/// <param name="Since">When it was quarantined.</param>
/// <param name="Reason">The last overrun that put it over the limit.</param>
/// <param name="Failures">Overruns counted in the window at that moment.</param>
internal sealed record ScriptQuarantineState(DateTimeOffset Since, string Reason, int Failures);
