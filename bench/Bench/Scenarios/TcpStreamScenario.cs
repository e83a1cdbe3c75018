using System.Diagnostics;
using Slardar.Scriptable.Bench.Infrastructure;
using Slardar.Scriptable.Bench.Report;
using Slardar.Scriptable.Bench.Targets;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>
/// The TCP stream proxy (issue 16) against nginx's stream module and against no proxy: one long
/// stream (1 GB, <c>--stream-mb</c>) and new connections per second (each a whole session: connect,
/// a byte, half-close, the sink's answer, close), in interleaved rounds, as ratios of one run.
/// </summary>
internal sealed class TcpStreamScenario : IScenario
{
    private const int Clients = 32;
    private const long WarmUpBytes = 128L * 1024 * 1024;
    private static readonly TimeSpan ConnectionWindow = TimeSpan.FromSeconds(5);
    // As long as a measured window: the gateway's JIT tiers up over its first 20,000 or so sessions
    // (about 4 s here); a 1 s warm-up left that to the first rounds (their CPU per connection 1.2x the later ones').
    private static readonly TimeSpan WarmUpWindow = TimeSpan.FromSeconds(5);

    public string Name => "tcp";

    public async Task<ReportSection> RunAsync(BenchContext context)
    {
        var bytes = context.Options.StreamBytes;
        var rounds = context.Options.Rounds;
        await using var sink = TcpSink.Start();
        var listenPort = LoopbackPorts.Next();
        var dir = context.NewFolder("gateway-tcp");
        File.WriteAllText(Path.Combine(dir, "scripts.json"), $$"""{ "streams": { "127.0.0.1:{{listenPort}}": { "upstream": "tcp-sink" } } }""");
        var settings = new Dictionary<string, string>(context.Options.Settings)
        {
            ["Upstreams:tcp-sink:servers:0:host"] = "127.0.0.1",
            ["Upstreams:tcp-sink:servers:0:port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Checkups:ActiveChecks"] = "false",
        };
        using var gateway = await GatewayInstance.StartAsync(context, new GatewayLaunch("tcp", Settings: settings), dir);
        using var nginx = await NginxStream.StartAsync(context, sink.Port);
        using var socketRelay = await RelayFloor.StartAsync(context, "socket", sink.Port);
        using var epollRelay = await RelayFloor.StartAsync(context, "epoll", sink.Port);

        // The proxy's own CPU per connection (nginx's master and workers; the gateway without its compile worker).
        (string Name, int Port, Func<double>? Cpu)[] targets =
        [
            ("direct", sink.Port, null),
            ("nginx stream", nginx.Port, () => nginx.Process.Sample().CpuSeconds),
            ("gateway", listenPort, () => gateway.Process.SampleAlone().CpuSeconds),
            ("relay floor: .NET sockets", socketRelay.Port, () => socketRelay.Process.Sample().CpuSeconds),
            ("relay floor: raw epoll", epollRelay.Port, () => epollRelay.Process.Sample().CpuSeconds),
        ];
        var throughput = targets.ToDictionary(t => t.Name, _ => new List<double>());
        var connections = targets.ToDictionary(t => t.Name, _ => new List<double>());
        var cpuPerConnection = targets.ToDictionary(t => t.Name, _ => new List<double>());
        // Not measured: each target once with a short stream and a window of connections, so the
        // gateway's JIT has tiered up (as the HTTP scenarios' warm-up does) before round 1.
        foreach (var (_, port, _) in targets)
        {
            await ThroughputAsync(port, Math.Min(bytes, WarmUpBytes));
            await ConnectionsPerSecondAsync(port, WarmUpWindow);
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, port, cpu) in targets)
            {
                throughput[name].Add(await ThroughputAsync(port, bytes));
                var cpuBefore = cpu?.Invoke() ?? 0;
                var (perSecond, completed) = await ConnectionsPerSecondAsync(port, ConnectionWindow);
                connections[name].Add(perSecond);
                cpuPerConnection[name].Add(cpu is null ? double.NaN : (cpu() - cpuBefore) / completed * 1e6);
                BenchContext.Log($"tcp round {round + 1} {name}: {throughput[name][^1]:F0} MB/s, {perSecond:F0} connections/s, {cpuPerConnection[name][^1]:F0} µs CPU / connection");
            }
        }

        var mb = bytes / 1024.0 / 1024.0;
        double Median(Dictionary<string, List<double>> results, string name) => Stats.Median(results[name]);
        var table = new MarkdownTable("target", $"{mb:F0} MB stream, MB/s", "× nginx stream", "× direct", "connections/s", "× nginx stream", "proxy CPU µs / connection", "× nginx stream");
        foreach (var (name, _, cpu) in targets)
        {
            table.Row(name,
                $"{Median(throughput, name):F0}", Stats.Ratio(Median(throughput, name), Median(throughput, "nginx stream")), Stats.Ratio(Median(throughput, name), Median(throughput, "direct")),
                $"{Median(connections, name):F0}", Stats.Ratio(Median(connections, name), Median(connections, "nginx stream")),
                cpu is null ? "-" : $"{Median(cpuPerConnection, name):F0}", cpu is null ? "-" : Stats.Ratio(Median(cpuPerConnection, name), Median(cpuPerConnection, "nginx stream")));
        }

        var streamRatio = Median(throughput, "gateway") / Median(throughput, "nginx stream");
        var connectionRatio = Median(connections, "gateway") / Median(connections, "nginx stream");
        var markdown = $"""
            A TCP sink in the harness reads each connection to its end and answers its byte count. Throughput: one
            connection sends {mb:F0} MB in 64 KiB writes. Connections: {Clients} clients for {ConnectionWindow.TotalSeconds:F0} s each open
            a connection, send one byte, close their half and read the answer (a whole proxied session each). The
            gateway's listener is scripts.json `"streams"` (no preread script, access log off); nginx's is
            `Nginx/stream.conf` (stream module, `worker_processes auto`, access log off). {rounds} rounds, targets
            interleaved, medians, after one unmeasured warm-up of each target (a 128 MB stream and {WarmUpWindow.TotalSeconds:F0} s of
            connections). The harness's own client and sink share the machine with the proxy. Proxy CPU per
            connection: user + system time of the proxy's processes (nginx's master and workers, the gateway
            without its compile worker) over each connection window, divided by the sessions it completed.
            The two relay floors (bench/RelayFloor, measurement equipment: no timeouts, retries or metrics)
            show where the gap sits: ".NET sockets" is the gateway's copy loop on the runtime's Socket API
            with the gateway's runtime settings and nothing else; "raw epoll" makes the same system calls
            from one event loop per core, as nginx's workers do.

            {table}
            """;
        return new ReportSection($"TCP stream proxy: {mb:F0} MB and connections/s vs nginx stream", markdown,
        [
            new TargetCheck($"{mb:F0} MB stream ≥ 0.9× nginx stream", $"{streamRatio:F2}×", streamRatio >= 0.9),
            new TargetCheck("new connections/s ≥ 0.9× nginx stream", $"{connectionRatio:F2}×", connectionRatio >= 0.9),
        ]);
    }

    private static async Task<double> ThroughputAsync(int port, long bytes)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        if (!await TcpSink.SendAsync(port, bytes, timeout.Token))
        {
            throw new InvalidOperationException($"the sink behind port {port} did not count {bytes} bytes");
        }

        return bytes / 1024.0 / 1024.0 / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task<(double PerSecond, long Completed)> ConnectionsPerSecondAsync(int port, TimeSpan length)
    {
        var completed = 0L;
        var failed = 0L;
        using var window = new CancellationTokenSource(length);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            while (!window.IsCancellationRequested)
            {
                try
                {
                    if (await TcpSink.SendAsync(port, 1, window.Token))
                    {
                        Interlocked.Increment(ref completed);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or System.Net.Sockets.SocketException)
                {
                    if (!window.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
            }
        }));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (failed > completed / 100)
        {
            throw new InvalidOperationException($"{failed} of {completed + failed} connections through port {port} failed");
        }

        return (completed / seconds, completed);
    }
}
