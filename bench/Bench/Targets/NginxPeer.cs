using System.Globalization;
using Slardar.Scriptable.Bench.Infrastructure;

namespace Slardar.Scriptable.Bench.Targets;

/// <summary>
/// The system a user would otherwise pick: nginx + lua-nginx-module with rewrite_by_lua,
/// access_by_lua and balancer_by_lua doing what the gateway's scripts do (see Nginx/peer.conf).
/// </summary>
internal sealed class NginxPeer : IDisposable
{
    private NginxPeer(int port, ChildProcess process)
    {
        Port = port;
        Process = process;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    public ChildProcess Process { get; }

    /// <param name="template">The configuration in Nginx/: peer.conf (the three phases), content.conf (content_by_lua chaining two calls), tls.conf (TLS termination).</param>
    /// <param name="extra">More placeholders of the template (e.g. tls.conf's cert and key).</param>
    public static async Task<NginxPeer> StartAsync(BenchContext context, IReadOnlyList<NginxBackend> backends, string template = "peer.conf",
        IReadOnlyDictionary<string, string>? extra = null)
    {
        var port = LoopbackPorts.Next();
        var dir = context.NewFolder("nginx-lua-peer");
        var peers = string.Join(", ", backends.Select(b => $"{{\"127.0.0.1\", {b.Port.ToString(CultureInfo.InvariantCulture)}}}"));
        var config = NginxConfig.Render(Path.Combine(context.NginxTemplates, template), dir, new Dictionary<string, string>
        {
            ["port"] = port.ToString(CultureInfo.InvariantCulture),
            ["lua_peers"] = peers,
            ["upstream_servers"] = string.Join(" ", backends.Select(b => $"server 127.0.0.1:{b.Port.ToString(CultureInfo.InvariantCulture)};")),
            ["ndk_module"] = NginxConfig.ModulePath("ndk_http_module.so"),
            ["lua_module"] = NginxConfig.ModulePath("ngx_http_lua_module.so"),
        }.Concat(extra ?? new Dictionary<string, string>()).ToDictionary());
        var process = ChildProcess.Start("nginx-lua-peer", "nginx", ["-p", dir, "-c", config], Path.Combine(dir, "stdout.log"));
        await NginxConfig.WaitForPortAsync(process, port);
        return new NginxPeer(port, process);
    }

    public void Dispose() => Process.Dispose();
}
