namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// One compiler or guard-rail finding, at the user's own line and column (1-based; 0 when it has no
/// place in the script, e.g. a finding in the compiled image).
/// </summary>
/// <param name="Id">The compiler's id (CS0103) or a guard rail's (SLS0001).</param>
/// <param name="Severity"><see cref="Error"/> or <see cref="Warning"/>; only errors block.</param>
internal sealed record ScriptDiagnostic(int Line, int Column, string Id, string Message, string Severity)
{
    public const string Error = "Error";
    public const string Warning = "Warning";

    public bool IsError => Severity == Error;

    /// <summary>The module file the finding is in (<c>_modules/acme.auth.cs</c>); null when it is in the script.</summary>
    public string? File { get; init; }

    public override string ToString() => $"{File}({Line},{Column}): {Severity.ToLowerInvariant()} {Id}: {Message}";
}
