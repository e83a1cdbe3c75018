namespace Slardar.Scriptable.Host.Specs;

/// <summary>
/// One setup line of a block: <c>upstream &lt;name&gt;</c> (pointing at the echo backend),
/// <c>script &lt;host&gt;[/&lt;phase&gt;]</c> or <c>module &lt;name&gt;</c> with its source (a here-document, or
/// <c>&lt; file</c> under the spec's folder).
/// </summary>
internal sealed record SpecSetup(string Kind, string Name, string Value, int Line)
{
    public const string Upstream = "upstream";
    public const string Script = "script";
    public const string Module = "module";
}
