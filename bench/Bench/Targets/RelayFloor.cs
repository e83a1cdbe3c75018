using System.Globalization;
using Slardar.Scriptable.Bench.Infrastructure;

namespace Slardar.Scriptable.Bench.Targets;

/// <summary>
/// One of bench/RelayFloor's minimal relays in front of the harness's sink: "socket" (the runtime's
/// Socket API with the gateway's copy loop and runtime settings, nothing else) or "epoll" (raw epoll
/// calls, one loop per core). They show how much of the gap to nginx stream is the gateway's own.
/// </summary>
internal sealed class RelayFloor : IDisposable
{
    private RelayFloor(int port, ChildProcess process)
    {
        Port = port;
        Process = process;
    }

    public int Port { get; }

    public ChildProcess Process { get; }

    public static async Task<RelayFloor> StartAsync(BenchContext context, string kind, int sinkPort)
    {
        var port = LoopbackPorts.Next();
        var dir = context.NewFolder("relay-" + kind);
        var dll = Path.Combine(context.RepoRoot, "bench", "RelayFloor", "bin", "Release", "net10.0", "Slardar.Scriptable.RelayFloor.dll");
        var process = ChildProcess.Start("relay-" + kind, "dotnet",
            [dll, kind, port.ToString(CultureInfo.InvariantCulture), sinkPort.ToString(CultureInfo.InvariantCulture)],
            Path.Combine(dir, "stdout.log"),
            // The gateway's own setting (Host/Program.cs), so the socket relay differs from it only in code.
            new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1" });
        try
        {
            await process.WaitForLogLineAsync("relay listening", TimeSpan.FromMinutes(1));
            return new RelayFloor(port, process);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    public void Dispose() => Process.Dispose();
}
