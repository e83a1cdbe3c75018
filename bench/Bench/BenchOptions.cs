using System.Globalization;

namespace Slardar.Scriptable.Bench;

/// <summary>Command-line options of the harness (<c>--name value</c>).</summary>
internal sealed record BenchOptions
{
    /// <summary>Rounds per comparison (each target once per round, interleaved).</summary>
    public int Rounds { get; init; } = 5;

    public int DurationSeconds { get; init; } = 5;

    public int WarmupSeconds { get; init; } = 8;

    public int Connections { get; init; } = 64;

    public int Threads { get; init; } = 1;

    public int Reloads { get; init; } = 10_000;

    public int StartupScripts { get; init; } = 1_000;

    public long StreamBytes { get; init; } = 1L << 30;

    public IReadOnlyList<int> ScaleSizes { get; init; } = [1, 100, 10_000];

    /// <summary>Another build of the gateway (its Slardar.Scriptable.Host.dll) for the baseline scenario; bench/run.sh --baseline &lt;commit&gt; builds one.</summary>
    public string? BaselineDll { get; init; }

    /// <summary>What <see cref="BaselineDll"/> was built from, for the report.</summary>
    public string? BaselineName { get; init; }

    /// <summary>Settings for this build's gateways in the baseline and tcp scenarios (<c>--setting Proxy:Forwarder=yarp</c>): compares a path of this build with the baseline, or a stream setting with nginx.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Scenario names to run; empty runs all.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>();

    /// <summary>Write docs/BENCHMARKS.md (off for partial or quick runs unless asked).</summary>
    public bool WriteDocs { get; init; } = true;

    public string CommandLine { get; init; } = "bench/run.sh";

    /// <summary>The baseline scenario runs when a baseline build is given (or it is asked for by name).</summary>
    public bool Runs(string scenario) => scenario == "baseline"
        ? BaselineDll is not null && (Only.Count == 0 || Only.Contains(scenario))
        : Only.Count == 0 || Only.Contains(scenario);

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions { CommandLine = "bench/run.sh" + (args.Length > 0 ? " " + string.Join(' ', args) : string.Empty) };
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Value(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--quick" => options with
                {
                    Rounds = 3, DurationSeconds = 3, WarmupSeconds = 4, Reloads = 500, StartupScripts = 200,
                    StreamBytes = 256L << 20, ScaleSizes = [1, 100, 2_000], WriteDocs = false,
                },
                "--rounds" => options with { Rounds = Int() },
                "--duration" => options with { DurationSeconds = Int() },
                "--warmup" => options with { WarmupSeconds = Int() },
                "--connections" => options with { Connections = Int() },
                "--threads" => options with { Threads = Int() },
                "--reloads" => options with { Reloads = Int() },
                "--startup-scripts" => options with { StartupScripts = Int() },
                "--stream-mb" => options with { StreamBytes = (long)Int() << 20 },
                "--baseline-dll" => options with { BaselineDll = Value() },
                "--baseline-name" => options with { BaselineName = Value() },
                "--setting" => options with { Settings = WithSetting(options.Settings, Value()) },
                "--only" => options with { Only = Value().Split(',').ToHashSet(StringComparer.Ordinal) },
                "--docs" => options with { WriteDocs = true },
                "--no-docs" => options with { WriteDocs = false },
                _ => throw new ArgumentException($"unknown option {args[i]}; see docs/BENCHMARKS.md"),
            };
        }

        // A partial run must not replace the whole document with its sections: it writes only with --docs.
        return options.Only.Count > 0 && !args.Contains("--docs") ? options with { WriteDocs = false } : options;
    }

    private static Dictionary<string, string> WithSetting(IReadOnlyDictionary<string, string> settings, string keyValue)
    {
        var at = keyValue.IndexOf('=', StringComparison.Ordinal);
        if (at <= 0)
        {
            throw new ArgumentException($"--setting {keyValue}: expected Key=Value, e.g. Proxy:Forwarder=yarp");
        }

        return new Dictionary<string, string>(settings) { [keyValue[..at]] = keyValue[(at + 1)..] };
    }
}
