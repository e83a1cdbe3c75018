using System.Diagnostics;
using System.Net.Sockets;
using Slardar.Scriptable.Bench.Infrastructure;

namespace Slardar.Scriptable.Bench.Targets;

/// <summary>Fills the nginx templates (<c>{{name}}</c> placeholders) and waits for nginx to listen.</summary>
internal static class NginxConfig
{
    public static string Render(string template, string dir, IReadOnlyDictionary<string, string> values)
    {
        Directory.CreateDirectory(Path.Combine(dir, "tmp"));
        var text = File.ReadAllText(template).Replace("{{dir}}", dir, StringComparison.Ordinal);
        foreach (var (key, value) in values)
        {
            text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
        }

        var path = Path.Combine(dir, Path.GetFileName(template));
        File.WriteAllText(path, text);
        return path;
    }

    public static async Task WaitForPortAsync(ChildProcess process, int port)
    {
        var deadline = Stopwatch.GetTimestamp() + 10 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited; see {process.LogPath} and the error log beside it");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }

        throw new TimeoutException($"{process.Name} is not listening on {port}");
    }

    /// <summary>Where Debian puts dynamic modules (lua needs ndk loaded first).</summary>
    public static string ModulePath(string module)
    {
        foreach (var dir in new[] { "/usr/share/nginx/modules", "/usr/lib/nginx/modules" })
        {
            var path = Path.Combine(dir, module);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"nginx module {module} not found; install libnginx-mod-http-lua (bench/run.sh does)");
    }
}
