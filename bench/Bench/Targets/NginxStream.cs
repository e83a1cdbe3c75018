using System.Globalization;
using Slardar.Scriptable.Bench.Infrastructure;

namespace Slardar.Scriptable.Bench.Targets;

/// <summary>nginx's stream module proxying one TCP port to the harness's sink (Nginx/stream.conf).</summary>
internal sealed class NginxStream : IDisposable
{
    private NginxStream(int port, ChildProcess process)
    {
        Port = port;
        Process = process;
    }

    public int Port { get; }

    public ChildProcess Process { get; }

    public static async Task<NginxStream> StartAsync(BenchContext context, int sinkPort)
    {
        var port = LoopbackPorts.Next();
        var dir = context.NewFolder("nginx-stream");
        var config = NginxConfig.Render(Path.Combine(context.NginxTemplates, "stream.conf"), dir, new Dictionary<string, string>
        {
            ["port"] = port.ToString(CultureInfo.InvariantCulture),
            ["sink_port"] = sinkPort.ToString(CultureInfo.InvariantCulture),
            ["stream_module"] = NginxConfig.ModulePath("ngx_stream_module.so"),
        });
        var process = ChildProcess.Start("nginx-stream", "nginx", ["-p", dir, "-c", config], Path.Combine(dir, "stdout.log"));
        await NginxConfig.WaitForPortAsync(process, port);
        return new NginxStream(port, process);
    }

    public void Dispose() => Process.Dispose();
}
