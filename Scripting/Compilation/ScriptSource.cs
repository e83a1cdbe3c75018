using Microsoft.CodeAnalysis.CSharp;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// A script's text split into its leading directives (<c>using</c>, <c>extern alias</c>), which go to
/// the top of the generated file, and its body, which goes into the generated method.
/// </summary>
/// <param name="Text">The script as written.</param>
/// <param name="DirectivesLength">Length of the prefix of <paramref name="Text"/> holding the directives (0 when none).</param>
internal sealed record ScriptSource(string Text, int DirectivesLength)
{
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

        return new ScriptSource(text, end);
    }

    /// <summary>The directives, exactly as written.</summary>
    public string Directives => Text[..DirectivesLength];

    /// <summary>
    /// The whole text with the directives blanked out (line breaks kept), so that every statement
    /// keeps its line and column and diagnostics need no translation beyond <c>#line 1</c>.
    /// </summary>
    public string BodyInPlace()
    {
        if (DirectivesLength == 0)
        {
            return Text;
        }

        return string.Create(Text.Length, this, static (span, source) =>
        {
            source.Text.AsSpan().CopyTo(span);
            for (var i = 0; i < source.DirectivesLength; i++)
            {
                if (span[i] is not ('\r' or '\n'))
                {
                    span[i] = ' ';
                }
            }
        });
    }
}
