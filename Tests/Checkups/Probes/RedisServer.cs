using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Checkups.Probes;

/// <summary>
/// A real redis-server child process on 127.0.0.1 with no persistence, in its own temporary folder.
/// Fails loudly when redis-server is not installed: these tests must not pass by skipping.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    public const string InstallCommand = "apt-get update && apt-get install -y redis-server";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();

    private RedisServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts a master, or a replica of the master on <paramref name="replicaOfPort"/>, and waits until it answers PING.</summary>
    /// <param name="port">The port to listen on (a restart of a killed server); a free one when null.</param>
    public static async Task<RedisServer> StartAsync(int? replicaOfPort = null, int? port = null)
    {
        port ??= DeadPeer.ReservePort();
        var folder = Directory.CreateTempSubdirectory("slardar-redis-").FullName;
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        string[] arguments =
        [
            "--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", folder,

            // The default 5 s delay before a diskless full sync would only slow the replica tests down.
            "--repl-diskless-sync-delay", "0",
        ];
        arguments.ToList().ForEach(start.ArgumentList.Add);
        if (replicaOfPort is { } masterPort)
        {
            start.ArgumentList.Add("--replicaof");
            start.ArgumentList.Add("127.0.0.1");
            start.ArgumentList.Add($"{masterPort}");
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception ex)
        {
            Directory.Delete(folder, recursive: true);
            throw new InvalidOperationException($"redis-server could not be started ({ex.Message}). The redis probe tests need a real server; install it with: {InstallCommand}", ex);
        }

        var server = new RedisServer(process, folder, port.Value);
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitForPongAsync();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Kills the server abruptly, as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitForPongAsync()
    {
        var deadline = DateTime.UtcNow + StartLimit;
        while (!await AnswersPingAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                string output;
                lock (_output)
                {
                    output = _output.ToString();
                }

                throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within {StartLimit.TotalSeconds} s (exited: {_process.HasExited}). Output:\n{output}");
            }

            await Task.Delay(50);
        }
    }

    // Independent of the probe under test, so a probe bug cannot hide behind a fixture that "waits".
    private async Task<bool> AnswersPingAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), timeout.Token);
            await socket.SendAsync("PING\r\n"u8.ToArray(), SocketFlags.None, timeout.Token);
            var buffer = new byte[16];
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return buffer.AsSpan(0, received).SequenceEqual("+PONG\r\n"u8);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
