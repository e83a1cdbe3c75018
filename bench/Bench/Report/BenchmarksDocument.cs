using System.Text;

namespace Slardar.Scriptable.Bench.Report;

/// <summary>Renders docs/BENCHMARKS.md: how to reproduce, the machine, the targets summary, then each scenario.</summary>
internal static class BenchmarksDocument
{
    public static string Render(BenchContext context, IReadOnlyList<ReportSection> sections, string preface, string findings)
    {
        var text = new StringBuilder();
        text.Append("# Benchmarks\n\n");
        text.Append(preface.Trim()).Append("\n\n");
        text.Append("## This run\n\n");
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC with `{context.Options.CommandLine}`.\n\n");
        var machine = new MarkdownTable("", "");
        foreach (var (name, value) in MachineInfo.Describe(context.RepoRoot))
        {
            machine.Row(name, value);
        }

        text.Append(machine).Append('\n');
        text.Append("## Targets\n\n");
        var targets = new MarkdownTable("target", "measured", "met");
        foreach (var check in sections.SelectMany(s => s.Checks))
        {
            targets.Row(check.Target, check.Measured, check.Met ? "yes" : "**no**");
        }

        text.Append(targets).Append('\n');
        text.Append(findings.Trim()).Append("\n\n");
        foreach (var section in sections)
        {
            text.Append("## ").Append(section.Title).Append("\n\n").Append(section.Markdown.Trim()).Append("\n\n");
        }

        return text.ToString();
    }
}
