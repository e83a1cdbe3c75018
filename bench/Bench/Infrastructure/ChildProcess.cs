using System.Diagnostics;

namespace Slardar.Scriptable.Bench.Infrastructure;

/// <summary>
/// A process the harness started, its output going to a log file (never a pipe the harness must
/// drain: a gateway writing an access log at 20k lines/s would otherwise bill the harness's CPU).
/// Started through <c>sh -c 'exec ...'</c>, so the PID is the program's own.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process, string logPath, string name)
    {
        _process = process;
        LogPath = logPath;
        Name = name;
        StartedAt = Stopwatch.GetTimestamp();
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public long StartedAt { get; }

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string name, string file, IEnumerable<string> args, string logPath,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        // A stale log from an earlier start in the same folder would answer WaitForLogLineAsync with old lines.
        File.Delete(logPath);
        var command = "exec " + Quote(file) + " " + string.Join(' ', args.Select(Quote)) + " >" + Quote(logPath) + " 2>&1";
        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        return new ChildProcess(process, logPath, name);
    }

    /// <summary>Waits until the log has a line containing <paramref name="marker"/>; returns that line.</summary>
    public async Task<string> WaitForLogLineAsync(string marker, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (File.Exists(LogPath))
            {
                using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                while (await reader.ReadLineAsync() is { } line)
                {
                    if (line.Contains(marker, StringComparison.Ordinal))
                    {
                        return line;
                    }
                }
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before logging '{marker}'; see {LogPath}");
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"{Name} did not log '{marker}' within {timeout.TotalSeconds:F0} s; see {LogPath}");
    }

    public ProcessSample Sample() => ProcessStats.Read(Pid);

    /// <summary>This process without its children (e.g. the gateway without its compile worker).</summary>
    public ProcessSample SampleAlone() => ProcessStats.ReadAlone(Pid);

    /// <summary>SIGKILL: what a crash looks like to the peers (no FIN handshake niceties).</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
