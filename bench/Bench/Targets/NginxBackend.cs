using Slardar.Scriptable.Bench.Infrastructure;

namespace Slardar.Scriptable.Bench.Targets;

/// <summary>One backend: a single nginx process (no master, one worker) answering a small fixed body.</summary>
internal sealed class NginxBackend : IDisposable
{
    private readonly BenchContext _context;
    private ChildProcess _process;

    private NginxBackend(BenchContext context, int port, ChildProcess process)
    {
        _context = context;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    public ChildProcess Process => _process;

    public static async Task<NginxBackend> StartAsync(BenchContext context)
    {
        var port = LoopbackPorts.Next();
        return new NginxBackend(context, port, await LaunchAsync(context, port));
    }

    /// <summary>kill -9: the backend vanishes mid-request, as a crashed host does.</summary>
    public void Kill() => _process.Kill();

    /// <summary>Starts it again on the same port (after <see cref="Kill"/>).</summary>
    public async Task RestartAsync()
    {
        _process.Dispose();
        _process = await LaunchAsync(_context, Port);
    }

    public void Dispose() => _process.Dispose();

    private static async Task<ChildProcess> LaunchAsync(BenchContext context, int port)
    {
        var dir = context.NewFolder($"backend-{port}");
        var config = NginxConfig.Render(Path.Combine(context.NginxTemplates, "backend.conf"), dir,
            new Dictionary<string, string> { ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var process = ChildProcess.Start($"backend:{port}", "nginx", ["-p", dir, "-c", config], Path.Combine(dir, "stdout.log"));
        await NginxConfig.WaitForPortAsync(process, port);
        return process;
    }
}
