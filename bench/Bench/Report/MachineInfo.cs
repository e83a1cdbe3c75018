using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Slardar.Scriptable.Bench.Report;

/// <summary>What the figures were measured on: cores, memory, CPU, kernel and every version involved.</summary>
internal static class MachineInfo
{
    public static IReadOnlyList<(string Name, string Value)> Describe(string repoRoot) =>
    [
        ("cores", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("memory", MemTotal()),
        ("cpu", CpuModel()),
        ("kernel", Run("uname", "-r")),
        (".NET runtime", RuntimeInformation.FrameworkDescription),
        (".NET SDK", Run("dotnet", "--version")),
        ("nginx", Run("nginx", "-v").Replace("nginx version: ", string.Empty, StringComparison.Ordinal)),
        ("lua-nginx-module", Run("dpkg-query", "-W", "-f=${Version}", "libnginx-mod-http-lua")),
        ("wrk", Run("dpkg-query", "-W", "-f=${Version}", "wrk")),
        ("gateway commit", Run("git", "-C", repoRoot, "rev-parse", "--short", "HEAD")),
    ];

    private static string MemTotal()
    {
        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return line is null ? "?" : $"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0 / 1024.0:F1} GiB";
    }

    private static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";

    private static string Run(string file, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return output.Trim().Split('\n')[0];
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not found";
        }
    }
}
