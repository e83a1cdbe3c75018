using Microsoft.CodeAnalysis;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>The guard rails' own diagnostics (SLS ids), reported like the compiler's.</summary>
internal static class ScriptDiagnosticDescriptors
{
    private const string Category = "Slardar.Scripting";

    public static readonly DiagnosticDescriptor ForbiddenApi = Error(
        "SLS0001", "API not available to scripts", "'{0}' is not available to scripts: {1}");

    public static readonly DiagnosticDescriptor ForbiddenConstruct = Error(
        "SLS0002", "Construct not allowed in scripts", "{0} is not allowed in scripts: {1}");

    public static readonly DiagnosticDescriptor ReservedName = Error(
        "SLS0003", "Reserved name", "'{0}' is reserved: names starting with '__' belong to the code generated around the script");

    public static readonly DiagnosticDescriptor ForbiddenReference = Error(
        "SLS0004", "Compiled script uses a forbidden API", "The compiled script uses '{0}', which scripts may not use: {1}");

    public static readonly DiagnosticDescriptor OutsideBody = Error(
        "SLS0005", "Script leaves its method", "A script is a statement body; this closes the method it is compiled into (check the braces)");

    public static readonly DiagnosticDescriptor InstrumentationFailed = Error(
        "SLS0006", "Script could not be instrumented", "The script could not be prepared for its run-time budget: {0}");

    public static readonly DiagnosticDescriptor ForbiddenDirective = Error(
        "SLS0007", "Directive not allowed in scripts", "'{0}' is not allowed in scripts: {1}");

    public static readonly DiagnosticDescriptor RegexMethodGroup = Error(
        "SLS0008", "Regex method used as a delegate", "'{0}' cannot be used as a method group in scripts: a match timeout bounded by the script's budget is added to every call, which a delegate would skip; call it in a lambda instead (s => Regex.IsMatch(s, pattern))");

    private static DiagnosticDescriptor Error(string id, string title, string format) =>
        new(id, title, format, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
