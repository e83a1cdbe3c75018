using Slardar.Scriptable.Bench.Report;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>One part of the benchmark: starts what it needs, measures, stops everything it started.</summary>
internal interface IScenario
{
    /// <summary>The name <c>--only</c> selects it by.</summary>
    string Name { get; }

    Task<ReportSection> RunAsync(BenchContext context);
}
