namespace Slardar.Scriptable.Bench.Report;

/// <summary>A scenario's part of docs/BENCHMARKS.md: a heading, its markdown (tables, notes) and its target checks.</summary>
internal sealed record ReportSection(string Title, string Markdown, IReadOnlyList<TargetCheck> Checks);
