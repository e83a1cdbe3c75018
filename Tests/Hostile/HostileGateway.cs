using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Hostile;

/// <summary>
/// The gateway binary as its own process, shared by the whole corpus (an xunit class fixture), with a
/// real backend behind the default host and a control host whose benign script reports process-wide
/// state. A separate process because the corpus is made to find what kills a process: a stack
/// overflow in-process would end the test run itself, with no result for any case. When a case kills
/// the gateway or leaves it unanswering, that case fails and the next one gets a fresh gateway.
/// </summary>
public sealed partial class HostileGateway : IAsyncLifetime, IDisposable
{
    /// <summary>Generous bound on any one answer from the proxy: a liveness bound, not a timing assertion.</summary>
    public static readonly TimeSpan ProxyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The control host: its script reads what a hostile script could change for the whole process.</summary>
    public const string ControlHost = "control.hostile.test";

    // Culture-sensitive formatting a process-wide culture change would show; nothing a guard rail could
    // reasonably forbid, so the control script keeps compiling whatever the allow list becomes.
    private const string ControlScript = """
        // Control: answers what process-wide state looks like from a script (culture-sensitive formatting).
        return Exit(200, (-1.5).ToString() + " " + (1234.5).ToString("N") + " " + new DateTime(2000, 1, 2, 3, 4, 5).ToString() + " " + "I".ToLower());
        """;

    private static readonly TimeSpan AdminTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly object _outputLock = new();
    private readonly StringBuilder _head = new();
    private readonly StringBuilder _tail = new();
    private TestBackend? _backend;
    private Process? _process;
    private string? _folder;
    private HttpClient? _proxy;
    private HttpClient? _admin;
    private long _outputChars;
    private bool _suspect;

    /// <summary>What the control host answered right after the gateway started.</summary>
    public string ControlBaseline { get; private set; } = "";

    /// <summary>Gateway processes started so far (more than one: a case killed or hung one).</summary>
    public int Starts { get; private set; }

    /// <summary>Requests that reached the backend.</summary>
    public int BackendRequests => _backend!.Requests;

    /// <summary>Characters the gateway wrote to its standard output and error so far.</summary>
    public long OutputChars => Interlocked.Read(ref _outputChars);

    public bool HasExited => _process is null || _process.HasExited;

    public string ExitDescription => _process is { HasExited: true } p ? $"exit code {p.ExitCode}" : "running";

    /// <summary>
    /// The process's state once it has had a moment to finish dying: a connection reset is often seen
    /// before the exit is (a stack overflow prints its whole trace first, which takes seconds).
    /// </summary>
    public async Task<string> DescribeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return ExitDescription;
    }

    public async Task InitializeAsync()
    {
        // Echoes whether an injected header reached it, so header-injection cases can see it.
        _backend = await TestBackend.StartAsync(context => context.Response.WriteAsync(
            "backend" + (context.Request.Headers.ContainsKey("X-Injected") ? " saw x-injected" : "")));
        await StartAsync();
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }

    /// <summary>xunit calls it after <see cref="DisposeAsync"/>; the clients are already disposed then, and disposing twice is harmless.</summary>
    public void Dispose()
    {
        _proxy?.Dispose();
        _admin?.Dispose();
    }

    /// <summary>Marks the gateway as not to be trusted by the next case (it timed out or failed oddly).</summary>
    public void MarkSuspect() => _suspect = true;

    /// <summary>Starts a fresh gateway when the last case killed or hung the current one; says so when it did.</summary>
    public async Task<string?> EnsureHealthyAsync()
    {
        if (!_suspect && !HasExited)
        {
            return null;
        }

        var why = HasExited ? $"the gateway had died ({ExitDescription})" : "the last case left the gateway suspect";
        await StopAsync();
        await StartAsync();
        return why + "; started a fresh one";
    }

    public async Task<(int Status, JsonNode? Json, string Text)> AdminAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        using var response = await _admin!.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return ((int)response.StatusCode, json, text);
    }

    public async Task<HttpResponseMessage> SendAsync(string host, string path, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _proxy!.SendAsync(request);
    }

    /// <summary>Asks the control host; <paramref name="marker"/> is its path, findable in the access log.</summary>
    public async Task<(int Status, string Body)> ControlAsync(string marker)
    {
        using var response = await SendAsync(ControlHost, marker);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits (bounded) until <paramref name="marker"/> shows in the output: what was written before it is counted.</summary>
    public async Task<bool> WaitForOutputAsync(string marker, TimeSpan limit)
    {
        try
        {
            await Poll.UntilAsync(() => Task.FromResult(TailContains(marker)), seen => seen, limit, $"\"{marker}\" in the gateway's output");
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>A line of /proc/&lt;pid&gt;/status in KiB (VmRSS, VmHWM); 0 when the process is gone.</summary>
    public long StatusKilobytes(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process!.Id}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
        }

        return 0;
    }

    /// <summary>Resets VmHWM to the current RSS so the next peak measures only what follows.</summary>
    public void ResetPeakMemory()
    {
        try
        {
            File.WriteAllText($"/proc/{_process!.Id}/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
        }
    }

    /// <summary>The end of the gateway's output, for failure messages.</summary>
    public string OutputTail(int chars = 3000)
    {
        lock (_outputLock)
        {
            var start = Math.Max(0, _tail.Length - chars);
            return _tail.ToString(start, _tail.Length - start);
        }
    }

    private bool TailContains(string marker)
    {
        lock (_outputLock)
        {
            return _tail.ToString().Contains(marker, StringComparison.Ordinal);
        }
    }

    /// <summary>The gateway's Scripts folder (watched: a file saved there compiles and serves).</summary>
    public string ScriptsFolder => Path.Combine(_folder!, "Scripts");

    /// <summary>Stops the gateway and starts it again on the same folder (store, scripts.json, Scripts/).</summary>
    public async Task RestartAsync()
    {
        var folder = _folder;
        await StopAsync(deleteFolder: false);
        await StartAsync(folder);
    }

    private async Task StartAsync(string? folder = null)
    {
        _folder = folder ?? Directory.CreateTempSubdirectory("slardar-hostile-").FullName;
        Directory.CreateDirectory(Path.Combine(_folder, "Scripts"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "scripts.json"), $$"""
            {
              "hosts": {
                "{{ControlHost}}": { "upstream": "backend", "budget_ms": 2000 },
                "_": { "upstream": "backend" }
              }
            }
            """);
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Slardar.Scriptable.Host"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[]
        {
            "--Gateway:Listen=http://127.0.0.1:0",
            "--Admin:Listen=http://127.0.0.1:0",
            "--Demo:Enabled=false",
            "--Checkups:ActiveChecks=false",
            $"--Store:Path={Path.Combine(_folder, "slardar.db")}",
            $"--Scripts:Manifest={Path.Combine(_folder, "scripts.json")}",
            $"--Scripts:Folder={Path.Combine(_folder, "Scripts")}",
            $"--Proxy:Body:TempFolder={_folder}",
            "--Upstreams:backend:servers:0:host=127.0.0.1",
            $"--Upstreams:backend:servers:0:port={_backend!.Port}",
        })
        {
            info.ArgumentList.Add(arg);
        }

        lock (_outputLock)
        {
            _head.Clear();
            _tail.Clear();
        }

        _suspect = false;
        _process = Process.Start(info)!;
        Starts++;
        _ = DrainAsync(_process.StandardOutput);
        _ = DrainAsync(_process.StandardError);
        var (proxy, admin) = await ListenersAsync();
        _proxy = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri(proxy),
            Timeout = ProxyTimeout,
        };
        _admin = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(admin), Timeout = AdminTimeout };

        var (status, _, text) = await AdminAsync(HttpMethod.Post, $"/script/{ControlHost}/rewrite", ControlScript);
        if (status != 200)
        {
            throw new InvalidOperationException($"The control script was refused ({status}): {text}");
        }

        var (controlStatus, body) = await ControlAsync("/alive/start");
        ControlBaseline = controlStatus == 200 ? body : throw new InvalidOperationException($"The control host answered {controlStatus}: {body}");
    }

    private async Task<(string Proxy, string Admin)> ListenersAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline && !_process!.HasExited)
        {
            string head;
            lock (_outputLock)
            {
                head = _head.ToString();
            }

            if (ProxyLine().Match(head) is { Success: true } proxy && AdminLine().Match(head) is { Success: true } admin)
            {
                return (proxy.Groups[1].Value.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal), admin.Groups[1].Value.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
            }

            await Task.Delay(50);
        }

        var output = OutputTail();
        await StopAsync();
        throw new InvalidOperationException("The gateway did not start:\n" + output);
    }

    // Counts and keeps the end of everything the gateway writes; reads in blocks, so a 20 MB line
    // is counted without being held.
    private async Task DrainAsync(StreamReader reader)
    {
        var buffer = new char[16384];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                Interlocked.Add(ref _outputChars, read);
                lock (_outputLock)
                {
                    if (_head.Length < 256 * 1024)
                    {
                        _head.Append(buffer, 0, read);
                    }

                    _tail.Append(buffer, 0, read);
                    if (_tail.Length > 128 * 1024)
                    {
                        _tail.Remove(0, _tail.Length - (64 * 1024));
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
    }

    private async Task StopAsync(bool deleteFolder = true)
    {
        _proxy?.Dispose();
        _admin?.Dispose();
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            _process = null;
        }

        if (_folder is not null && deleteFolder)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }

            _folder = null;
        }
    }

    [GeneratedRegex(@"proxy listening on (http://\S+)")]
    private static partial Regex ProxyLine();

    [GeneratedRegex(@"admin listening on (http://\S+)")]
    private static partial Regex AdminLine();
}
