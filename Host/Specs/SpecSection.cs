namespace Slardar.Scriptable.Host.Specs;

/// <summary>The lines of one <c>--- section [argument]</c>, and the file line of the first of them.</summary>
internal sealed record SpecSection(string Argument, int FirstLine, IReadOnlyList<string> Lines)
{
    public string Text => string.Join('\n', Lines);
}
