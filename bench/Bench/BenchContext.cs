namespace Slardar.Scriptable.Bench;

/// <summary>Where things are for one harness run: the repository, the run's work folder, the binaries.</summary>
internal sealed class BenchContext
{
    public BenchContext(string repoRoot, BenchOptions options)
    {
        RepoRoot = repoRoot;
        Options = options;
        WorkDir = Path.Combine(repoRoot, "bench", "results", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(WorkDir);
        GatewayDll = Path.Combine(repoRoot, "Host", "bin", "Release", "net10.0", "Slardar.Scriptable.Host.dll");
        NginxTemplates = Path.Combine(AppContext.BaseDirectory, "Nginx");
    }

    public string RepoRoot { get; }

    public BenchOptions Options { get; }

    /// <summary>bench/results/&lt;time&gt;: configs, stores and logs of every process this run started.</summary>
    public string WorkDir { get; }

    public string GatewayDll { get; }

    public string NginxTemplates { get; }

    private int _sequence;

    /// <summary>A fresh sub-folder of the work folder, one per started process.</summary>
    public string NewFolder(string name)
    {
        var path = Path.Combine(WorkDir, $"{Interlocked.Increment(ref _sequence):D3}-{name}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Log(string message) =>
        Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
