using System.Text;

namespace Slardar.Scriptable.Tests.Scripts.Compiler;

/// <summary>The sources that crashed or stalled the in-process compiler (issue 11), by name.</summary>
internal static class CompilerBombs
{
    public static string Get(string name) => name switch
    {
        "braces" => new string('{', 20_000) + new string('}', 20_000),
        "whiles" => Repeat("while (true) ", 5_000) + ";",
        "lambdas" => "Func<int, int> f = " + Repeat("x => ", 1_000) + "1;",
        "parentheses" => "var x = " + new string('(', 100_000) + "1" + new string(')', 100_000) + ";",
        "sum" => "var x = " + Repeat("1+", 100_000) + "1;",
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>A long but shallow script (2,000 statements): slow to compile, well within the limits.</summary>
    public static string Statements(int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append("var v").Append(i).Append(" = Request.Path.Length + ").Append(i).Append(";\n");
        }

        return text.Append("return Next;\n").ToString();
    }

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();
}
