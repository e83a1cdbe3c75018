using System.Text;

namespace Slardar.Scriptable.Bench.Report;

/// <summary>A GitHub-flavoured markdown table, built row by row.</summary>
internal sealed class MarkdownTable
{
    private readonly StringBuilder _text = new();

    public MarkdownTable(params string[] headers)
    {
        _text.Append("| ").AppendJoin(" | ", headers).Append(" |\n");
        _text.Append('|').AppendJoin('|', headers.Select(_ => "---")).Append("|\n");
    }

    public MarkdownTable Row(params string[] cells)
    {
        _text.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
        return this;
    }

    public override string ToString() => _text.ToString();
}
