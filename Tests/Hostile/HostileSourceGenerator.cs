namespace Slardar.Scriptable.Tests.Hostile;

/// <summary>
/// A big source described small (compiler bombs): <c>prefix + open×count + middle + close×count + suffix</c>,
/// appended to the case file's own text (its header comment), so megabytes are never committed.
/// </summary>
internal sealed class HostileSourceGenerator
{
    public string Prefix { get; init; } = "";

    public string Open { get; init; } = "";

    public int Count { get; init; }

    public string Middle { get; init; } = "";

    public string Close { get; init; } = "";

    public string Suffix { get; init; } = "";

    public string Generate()
    {
        var text = new System.Text.StringBuilder(Prefix.Length + Middle.Length + Suffix.Length + ((Open.Length + Close.Length) * Count));
        text.Append(Prefix);
        text.Insert(text.Length, Open, Count);
        text.Append(Middle);
        text.Insert(text.Length, Close, Count);
        text.Append(Suffix);
        return text.ToString();
    }
}
