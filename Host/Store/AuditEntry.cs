namespace Slardar.Scriptable.Host.Store;

/// <summary>One line of the audit log: who did what to what, when.</summary>
internal sealed record AuditEntry(
    long Id,
    DateTimeOffset At,
    string Actor,
    string Action,
    string Target,
    string? Detail);
