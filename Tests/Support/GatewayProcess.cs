using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>
/// The gateway binary started as its own process (as the README starts it), for what only a
/// separate process can show: its memory, and surviving kill -9.
/// </summary>
internal sealed partial class GatewayProcess : IAsyncDisposable
{
    private static readonly string[] DefaultArguments = ["--Gateway:Listen=http://127.0.0.1:0", "--Admin:Listen=http://127.0.0.1:0", "--Demo:Enabled=false"];

    private readonly Process _process;
    private string? _ownStore;

    private GatewayProcess(Process process, string proxyUrl, string adminUrl)
    {
        _process = process;
        ProxyUrl = proxyUrl;
        AdminUrl = adminUrl;
    }

    public string ProxyUrl { get; }

    public string AdminUrl { get; }

    public int Pid => _process.Id;

    public static Task<GatewayProcess> StartAsync(params string[] args) => StartAsync(new Dictionary<string, string>(), args);

    /// <param name="environment">Environment variables for the child; a listener set here is not overridden on the command line.</param>
    public static async Task<GatewayProcess> StartAsync(IDictionary<string, string> environment, params string[] args)
    {
        var (info, ownStore) = CreateStartInfo(environment, args);
        var process = Process.Start(info)!;
        string? proxy = null, admin = null;
        var output = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while ((proxy is null || admin is null) && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.Add(line);
                proxy ??= ProxyLine().Match(line) is { Success: true } p ? p.Groups[1].Value : null;
                admin ??= AdminLine().Match(line) is { Success: true } a ? a.Groups[1].Value : null;
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (proxy is null || admin is null)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            throw new InvalidOperationException("The gateway did not start:\n" + string.Join('\n', output) + await process.StandardError.ReadToEndAsync());
        }

        // Keep draining output so the child never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return new GatewayProcess(process, proxy, admin) { _ownStore = ownStore };
    }

    /// <summary>Runs the binary until it exits by itself (a start that fails), within 60 s.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(params string[] args)
    {
        var (info, ownStore) = CreateStartInfo(new Dictionary<string, string>(), args);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The gateway did not exit:\n" + await output);
        }
        finally
        {
            if (ownStore is not null)
            {
                DeleteStore(ownStore);
            }
        }

        return (process.ExitCode, await output, await error);
    }

    // Each process gets its own store unless the test names one: a shared default file would
    // carry upstreams from one test (or run) into the next.
    private static (ProcessStartInfo Info, string? OwnStore) CreateStartInfo(IDictionary<string, string> environment, string[] args)
    {
        var executable = Path.Combine(AppContext.BaseDirectory, "Slardar.Scriptable.Host");
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var ownStore = Path.Combine(Path.GetTempPath(), $"slardar-proc-{Guid.NewGuid():N}.db");
        string[] defaults = [.. DefaultArguments, $"--Store:Path={ownStore}"];
        var given = environment.Keys.Select(k => k.Replace("__", ":", StringComparison.Ordinal))
            .Concat(args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)).Select(a => a[2..a.IndexOf('=', StringComparison.Ordinal)]))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var arg in defaults.Where(a => !given.Contains(a[2..a.IndexOf('=', StringComparison.Ordinal)])).Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        return (info, given.Contains("Store:Path") ? null : ownStore);
    }

    private static void DeleteStore(string store)
    {
        foreach (var file in new[] { store, store + "-wal", store + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>A line of /proc/&lt;pid&gt;/status in kB, e.g. VmRSS (resident now) or VmHWM (peak resident).</summary>
    public long ReadStatusKilobytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"{field} not found in /proc/{_process.Id}/status");
    }

    /// <summary>Resets the peak-RSS counter (VmHWM) to the current RSS, so a later peak measures only what follows.</summary>
    public void ResetPeakMemory() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_ownStore is not null)
        {
            DeleteStore(_ownStore);
        }
    }

    [GeneratedRegex(@"proxy listening on (http://\S+)")]
    private static partial Regex ProxyLine();

    [GeneratedRegex(@"admin listening on (http://\S+)")]
    private static partial Regex AdminLine();
}
