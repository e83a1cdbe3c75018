namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// C# source shared by scripts (classes, records, static helpers), named like <c>acme.auth</c>. It is
/// compiled into the image of every script that uses one of its namespaces or types, so it loads and
/// unloads with that script's generation and its static state is the script's own.
/// </summary>
/// <param name="Name">The module's name: lower-case letters, digits, '.', '-' and '_'.</param>
/// <param name="Source">A C# file: usings, namespaces and type declarations.</param>
internal sealed record ScriptModule(string Name, string Source)
{
    /// <summary>The folder module files live in under Scripts/, and the prefix of their paths in diagnostics.</summary>
    public const string Folder = "_modules";

    /// <summary>The name diagnostics and stack traces give the module's file.</summary>
    public string Path => $"{Folder}/{Name}.cs";

    /// <summary>Whether <paramref name="name"/> is a module name (1 to 64 characters, starting with a letter or digit).</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 64 || !char.IsAsciiLetterLower(name[0]) && !char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c is not ('.' or '-' or '_'))
            {
                return false;
            }
        }

        return !name.EndsWith('.') && !name.Contains("..", StringComparison.Ordinal);
    }
}
