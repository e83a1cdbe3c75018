using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// Turns Roslyn diagnostics into <see cref="ScriptDiagnostic"/>s at the user's line and column.
/// Warnings about the generated frame (e.g. an async method without await, an unreachable
/// <c>return Next;</c>) are the template's business and dropped; errors are never dropped, and
/// one outside the user's text is reported at line 0.
/// </summary>
internal static class DiagnosticMapper
{
    /// <param name="modules">The module trees of the compile, with their file name: a finding in one is at the module's own line, with its file.</param>
    public static ImmutableArray<ScriptDiagnostic> Map(IEnumerable<Diagnostic> diagnostics, SyntaxTree script, IReadOnlyDictionary<SyntaxTree, string>? modules = null)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        ArgumentNullException.ThrowIfNull(script);
        return [.. diagnostics
            .Select(d => Map(d, script, modules))
            .OfType<ScriptDiagnostic>()
            .Distinct()
            .OrderBy(static d => d.File is null ? 0 : 1)
            .ThenBy(static d => d.File, StringComparer.Ordinal)
            .ThenBy(static d => d.Line)
            .ThenBy(static d => d.Column)
            .ThenBy(static d => d.IsError ? 0 : 1)];
    }

    private static ScriptDiagnostic? Map(Diagnostic diagnostic, SyntaxTree script, IReadOnlyDictionary<SyntaxTree, string>? modules)
    {
        var severity = diagnostic.Severity switch
        {
            DiagnosticSeverity.Error => ScriptDiagnostic.Error,
            DiagnosticSeverity.Warning => ScriptDiagnostic.Warning,
            _ => null,
        };
        if (severity is null || diagnostic.IsSuppressed)
        {
            return null;
        }

        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        var location = diagnostic.Location;
        if (location.IsInSource
            && location.SourceTree == script
            && script.GetLineVisibility(location.SourceSpan.Start) != LineVisibility.Hidden)
        {
            LinePosition start = location.GetMappedLineSpan().StartLinePosition;
            return new ScriptDiagnostic(start.Line + 1, start.Character + 1, diagnostic.Id, message, severity);
        }

        if (location.IsInSource
            && modules is not null
            && modules.TryGetValue(location.SourceTree!, out var file)
            && location.SourceTree!.GetLineVisibility(location.SourceSpan.Start) != LineVisibility.Hidden)
        {
            LinePosition start = location.GetMappedLineSpan().StartLinePosition;
            return new ScriptDiagnostic(start.Line + 1, start.Character + 1, diagnostic.Id, message, severity) { File = file };
        }

        return severity == ScriptDiagnostic.Error ? new ScriptDiagnostic(0, 0, diagnostic.Id, message, severity) : null;
    }
}
