using System.Collections.Immutable;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Slardar.Scriptable.Scripting.Editor;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// A script's text split into its leading directives (<c>using</c>, <c>extern alias</c>), which go to
/// the top of the generated file, and its body, which goes into the generated method.
/// <para>
/// Preprocessor directives that would change how the generated file is read (<c>#line</c>, which
/// hides lines from the guard rails and moves error lines; <c>#r</c>, <c>#load</c>, <c>#!</c>,
/// <c>#:</c>) are refused, except the editor's <c>#load</c> of its generated globals
/// (<see cref="EditorFiles.IsEditorLoad"/>), which is only blanked: they are listed in <see cref="RefusedDirectives"/> and blanked out of the
/// text the template uses, so that the generated file keeps its own line mapping and every other
/// diagnostic stays at the user's line.
/// </para>
/// </summary>
/// <param name="Text">The script as written.</param>
/// <param name="DirectivesLength">Length of the prefix of <paramref name="Text"/> holding the directives (0 when none).</param>
internal sealed record ScriptSource(string Text, int DirectivesLength)
{
    private string _usable = Text;

    /// <summary>Refused preprocessor directives: where they are in <see cref="Text"/>, and how they start (<c>#line</c>).</summary>
    public ImmutableArray<(TextSpan Span, string Directive)> RefusedDirectives { get; private init; } = [];

    public static ScriptSource Parse(string text, CSharpParseOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Parsed as top-level statements, a script's using directives come out as the compilation
        // unit's usings whatever follows them, and everything else as statements.
        var root = CSharpSyntaxTree.ParseText(text, options, cancellationToken: cancellationToken).GetCompilationUnitRoot(cancellationToken);
        var end = 0;
        foreach (var directive in root.Externs)
        {
            end = Math.Max(end, directive.Span.End);
        }

        foreach (var directive in root.Usings)
        {
            end = Math.Max(end, directive.Span.End);
        }

        var directives = root.DescendantTrivia()
            .Where(static t => t.IsDirective && IsRefused(t.Kind()))
            .Select(static t => (t.Span, Directive: (DirectiveTriviaSyntax)t.GetStructure()!))
            .ToList();

        // The editor's #load of its generated globals is blanked like the others, but not refused:
        // the template gives the script those members itself.
        var refused = directives
            .Where(static d => d.Directive is not LoadDirectiveTriviaSyntax load || !EditorFiles.IsEditorLoad(load.File.ValueText))
            .Select(static d => (d.Span, Name(d.Directive)))
            .ToImmutableArray();
        var blanked = directives.Select(static d => d.Span).ToList();
        return new ScriptSource(text, end) { RefusedDirectives = refused, _usable = Blank(text, blanked) };
    }

    /// <summary>The directives, as written (refused preprocessor directives blanked).</summary>
    public string Directives => _usable[..DirectivesLength];

    /// <summary>
    /// The whole text with the directives blanked out (line breaks kept), so that every statement
    /// keeps its line and column and diagnostics need no translation beyond <c>#line 1</c>.
    /// </summary>
    public string BodyInPlace()
    {
        if (DirectivesLength == 0)
        {
            return _usable;
        }

        return string.Create(_usable.Length, this, static (span, source) =>
        {
            source._usable.AsSpan().CopyTo(span);
            for (var i = 0; i < source.DirectivesLength; i++)
            {
                if (span[i] is not ('\r' or '\n'))
                {
                    span[i] = ' ';
                }
            }
        });
    }

    private static string Name(DirectiveTriviaSyntax directive) => directive.Kind() switch
    {
        SyntaxKind.ShebangDirectiveTrivia => "#!",
        SyntaxKind.IgnoredDirectiveTrivia => "#:",
        SyntaxKind.LineSpanDirectiveTrivia => "#line",
        _ => "#" + directive.DirectiveNameToken.ValueText,
    };

    private static bool IsRefused(SyntaxKind kind) => kind is SyntaxKind.LineDirectiveTrivia
        or SyntaxKind.LineSpanDirectiveTrivia
        or SyntaxKind.ReferenceDirectiveTrivia
        or SyntaxKind.LoadDirectiveTrivia
        or SyntaxKind.ShebangDirectiveTrivia
        or SyntaxKind.IgnoredDirectiveTrivia;

    private static string Blank(string text, List<TextSpan> refused)
    {
        if (refused.Count == 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        foreach (var span in refused)
        {
            for (var i = span.Start; i < span.End; i++)
            {
                if (chars[i] is not ('\r' or '\n'))
                {
                    chars[i] = ' ';
                }
            }
        }

        return new string(chars);
    }
}
