using Microsoft.CodeAnalysis.Text;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>The C# file generated around a script, and where its method's braces must end up.</summary>
/// <param name="Text">The generated file.</param>
/// <param name="MethodOpenBrace">Offset of the '{' that opens the script's method.</param>
/// <param name="MethodCloseBrace">Offset of the '}' that closes it; a script with unbalanced braces moves it.</param>
internal sealed record GeneratedScript(string Text, int MethodOpenBrace, int MethodCloseBrace)
{
    /// <summary>Where the user's text sits in <see cref="Text"/>: the directives at the top (when any) and the body; everything else is the template's.</summary>
    public IReadOnlyList<TextSpan> UserText { get; init; } = [];

    /// <summary>Offset in <see cref="Text"/> of the body, which holds the whole user text in place (directives blanked).</summary>
    public int BodyStart { get; init; }

    /// <summary>Whether <paramref name="span"/> lies in the user's text (not in what the template wrote).</summary>
    public bool IsUserText(TextSpan span) => UserText.Any(user => user.Contains(span));
}
