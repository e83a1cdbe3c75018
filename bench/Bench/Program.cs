using Slardar.Scriptable.Bench;
using Slardar.Scriptable.Bench.Report;
using Slardar.Scriptable.Bench.Scenarios;

// The benchmark harness: bench/run.sh builds the gateway (Release) and this program, then runs it
// from the repository root. Everything listens on loopback and stops by itself.
var options = BenchOptions.Parse(args);
var repoRoot = Directory.GetCurrentDirectory();
if (!File.Exists(Path.Combine(repoRoot, "Slardar.Scriptable.sln")))
{
    Console.Error.WriteLine("run the harness from the repository root (bench/run.sh does)");
    return 2;
}

var context = new BenchContext(repoRoot, options);
BenchContext.Log($"work folder {context.WorkDir}");
IScenario[] scenarios =
[
    new ThroughputScenario(),
    new LeverScenario(),
    new ScaleScenario(),
    new StartupScenario(),
    new ReloadScenario(),
    new FailoverScenario(),
    new StreamingScenario(),
    new ContentScenario(),
    new TcpStreamScenario(),
    new TlsScenario(),
    new CacheScenario(),
    new BaselineScenario(),
];

var sections = new List<ReportSection>();
foreach (var scenario in scenarios.Where(s => options.Runs(s.Name)))
{
    BenchContext.Log($"scenario {scenario.Name}");
    var section = await scenario.RunAsync(context);
    sections.Add(section);
    Console.WriteLine();
    Console.WriteLine("## " + section.Title);
    Console.WriteLine(section.Markdown);
}

var preface = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Preface.md"));
var findings = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Findings.md"));
var document = BenchmarksDocument.Render(context, sections, preface, findings);
File.WriteAllText(Path.Combine(context.WorkDir, "BENCHMARKS.md"), document);
if (options.WriteDocs)
{
    File.WriteAllText(Path.Combine(repoRoot, "docs", "BENCHMARKS.md"), document);
    BenchContext.Log("wrote docs/BENCHMARKS.md");
}

Console.WriteLine(document);
return 0;
